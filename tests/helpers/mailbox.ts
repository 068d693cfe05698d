// A real SMTP server (smtp-server) on a free loopback port for tests that follow links from emails the app
// sends (SMTP_URL=mailbox.url); messages are parsed with mailparser, as a mail client would.
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface Mailbox {
  url: string;
  messages: { to: string; subject: string; text: string }[];
  /** The message number `already` (0: the first) to `to`, waiting for it: the app sends after replying. */
  nextTo(to: string, already?: number): Promise<{ to: string; subject: string; text: string }>;
  close(): Promise<void>;
}

/** An SMTP server on a free loopback port that keeps every message it receives, parsed. */
export async function startMailbox(): Promise<Mailbox> {
  const messages: { to: string; subject: string; text: string }[] = [];
  const waiting: (() => void)[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((mail) => {
          const to = Array.isArray(mail.to) ? mail.to[0] : mail.to;
          messages.push({ to: to?.value[0]?.address ?? '', subject: mail.subject ?? '', text: mail.text ?? '' });
          waiting.splice(0).forEach((wake) => wake());
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    async nextTo(to: string, already = 0) {
      for (;;) {
        const found = messages.filter((m) => m.to === to);
        if (found.length > already) return found[already]!;
        await new Promise<void>((resolve) => waiting.push(resolve));
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

