// Sending email through the SMTP server of SMTP_URL (nodemailer: connection handling, STARTTLS, auth and
// message encoding are its job). One transport per URL, kept for the process; nodemailer loads on the first
// email, so a server without SMTP_URL never holds it.
import type { Transporter } from 'nodemailer';
import type { Config } from '../../config';

type MailConfig = NonNullable<Config['mail']>;

const transports = new Map<string, Transporter>();

export async function sendMail(mail: MailConfig, message: { to: string; subject: string; text: string }): Promise<void> {
  let transport = transports.get(mail.url);
  if (!transport) {
    const { default: nodemailer } = await import('nodemailer');
    transport = nodemailer.createTransport(mail.url);
    transports.set(mail.url, transport);
  }
  await transport.sendMail({ from: mail.from, ...message });
}
