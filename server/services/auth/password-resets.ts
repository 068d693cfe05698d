// Password reset links: an admin makes one for a user (shown once), or, when SMTP_URL is set, a user asks
// for one by email. A link works once, expires, and using it sets the password, ends every session of the
// account and logs the holder in. Only the hash of a link's token is stored; every step is audited.
// While password login is for admins only (OIDC_PASSWORD_LOGIN_ADMINS_ONLY), a reset link is a password
// login by another door: none is made for a rater (an admin is told why; an email request gets a note
// pointing to single sign-on instead), and one made earlier (before the setting, or before the account was
// demoted) is refused when used.
import type { TCreatePasswordResetResponse, TPasswordResetInfo } from '../../contract/account';
import type { TMeResponse } from '../../contract/auth';
import { forgetCachedSessions, revokeSessionsOf } from '../../db/repositories/credentials';
import {
  claimPasswordReset,
  closePasswordResetsOf,
  findPasswordResetByTokenHash,
  insertPasswordReset,
  lastEmailedResetSince,
} from '../../db/repositories/password-resets';
import { findUserById, findUserForLogin, updateUser } from '../../db/repositories/users';
import { AppError } from '../../errors';
import { recordAuditEvent, type AuditActor } from '../audit/record-audit-event';
import type { ServiceContext } from '../context';
import { sendMail } from '../mail/send-mail';
import type { Auth } from './authenticate';
import { getMe } from './get-me';
import { hashPassword } from './password';
import { assertPasswordLoginAllowed, passwordLoginAllowed } from './password-login-policy';
import { hashSecret, newSecret } from './secrets';
import { startSession, type ClientInfo, type NewSession } from './start-session';

/** An admin hands the link over themselves: a day to use it. */
const ADMIN_LINK_HOURS = 24;
/** A link sent by email sits in a mailbox: one hour. */
const EMAIL_LINK_HOURS = 1;
/** One email per account per this many minutes, however often someone asks (a mailbox is not a target). */
const EMAIL_EVERY_MINUTES = 2;

/** What the email request answers, whether or not the email has an account. */
export const RESET_REQUESTED_MESSAGE = 'If an account has this email, a link to set a new password is on its way; it works for one hour.';

async function issueReset(ctx: ServiceContext, actor: AuditActor, user: { id: string; email: string }, hours: number, via: 'admin' | 'email') {
  const token = newSecret(ctx.random, 'jxr');
  const now = ctx.clock.now();
  const expiresAt = new Date(now.getTime() + hours * 3_600_000);
  await ctx.db.transaction(async (tx) => {
    const row = await insertPasswordReset(tx, { tokenHash: hashSecret(token), userId: user.id, createdById: actor === 'system' ? null : actor.user.id, createdAt: now, expiresAt });
    await recordAuditEvent(ctx, tx, actor, {
      action: 'user.password.reset-link',
      target: { type: 'user', id: user.id },
      after: { email: user.email, resetId: row.id, via, expiresAt },
    });
  });
  return { url: `${ctx.config.publicUrl}/reset/${token}`, token, expiresAt };
}

export async function createPasswordReset(ctx: ServiceContext, admin: Auth, userId: string): Promise<TCreatePasswordResetResponse> {
  const user = await findUserById(ctx.db, userId);
  if (!user) throw new AppError('NOT_FOUND', 'No user has this id; list the users to find it.');
  if (!user.active) throw new AppError('USER_INACTIVE', 'This account is deactivated; reactivate it first.');
  assertPasswordLoginAllowed(
    ctx,
    user.role,
    (provider) => `Password login is for admins only here, so a reset link would not let ${user.email} in: they use "Sign in with ${provider}" on the login page.`,
  );
  const { url, token, expiresAt } = await issueReset(ctx, admin, user, ADMIN_LINK_HOURS, 'admin');
  return { url, token, expiresAt: expiresAt.toISOString() };
}

/**
 * Self-service: sends a link to the email if an active account has it. The caller learns nothing either way:
 * the reply is the same, and the lookup and the sending happen after it (so its timing says nothing either).
 */
export function requestPasswordReset(ctx: ServiceContext, email: string): { message: string } {
  const mail = ctx.config.mail;
  if (!mail) throw new AppError('RESET_BY_EMAIL_OFF', 'This server sends no email; ask an admin for a link to set a new password.');
  const address = email.toLowerCase();
  void (async () => {
    const user = await findUserForLogin(ctx.db, address);
    if (!user?.active) return;
    const now = ctx.clock.now();
    if (await lastEmailedResetSince(ctx.db, user.id, new Date(now.getTime() - EMAIL_EVERY_MINUTES * 60_000))) return;
    if (!passwordLoginAllowed(ctx, user.role)) {
      await sendMail(mail, { to: user.email, subject: 'Signing in to Juxta', text: singleSignOnNote(ctx, user.email) });
      return;
    }
    const { url } = await issueReset(ctx, 'system', user, EMAIL_LINK_HOURS, 'email');
    await sendMail(mail, {
      to: user.email,
      subject: 'Set a new Juxta password',
      text: `Someone (we hope you) asked to set a new password for ${user.email} on Juxta.\n\nOpen this link within an hour to choose one:\n${url}\n\nIf it was not you, ignore this email: your password stays as it is.\n`,
    });
  })().catch((err: unknown) => ctx.log.error({ err }, 'password reset email not sent'));
  return { message: RESET_REQUESTED_MESSAGE };
}

/** The email a rater gets instead of a reset link while password login is for admins only. */
function singleSignOnNote(ctx: ServiceContext, email: string): string {
  const name = ctx.config.sso!.displayName;
  return `Someone (we hope you) asked to set a new password for ${email} on Juxta.\n\nThis account does not sign in with a password: open ${ctx.config.publicUrl}/login and choose "Sign in with ${name}".\n`;
}

async function openReset(ctx: ServiceContext, token: string) {
  const reset = await findPasswordResetByTokenHash(ctx.db, hashSecret(token));
  if (!reset) throw new AppError('NOT_FOUND', 'This reset link is not valid; check that it was copied whole, or ask for a new one.');
  if (reset.usedAt) throw new AppError('RESET_LINK_USED', 'This reset link was already used; log in, or ask for a new link.');
  if (reset.expiresAt <= ctx.clock.now()) throw new AppError('RESET_LINK_EXPIRED', 'This reset link has expired; ask for a new one.');
  if (!reset.user.active) throw new AppError('FORBIDDEN', 'This account was deactivated; ask an admin to reactivate it.');
  assertPasswordLoginAllowed(
    ctx,
    reset.user.role,
    (provider) => `Password login is for admins only here, so this link cannot set a password for your account: use "Sign in with ${provider}" on the login page.`,
  );
  return reset;
}

export async function describePasswordReset(ctx: ServiceContext, token: string): Promise<TPasswordResetInfo> {
  const reset = await openReset(ctx, token);
  return { email: reset.user.email, expiresAt: reset.expiresAt.toISOString() };
}

export async function completePasswordReset(
  ctx: ServiceContext,
  token: string,
  newPassword: string,
  client: ClientInfo,
): Promise<{ session: NewSession; me: TMeResponse }> {
  const reset = await openReset(ctx, token);
  const passwordHash = await hashPassword(newPassword);
  const now = ctx.clock.now();
  const user = await ctx.db.transaction(async (tx) => {
    if (!(await claimPasswordReset(tx, reset.id, now))) throw new AppError('RESET_LINK_USED', 'This reset link was just used; log in, or ask for a new link.');
    const user = await updateUser(tx, reset.userId, { passwordHash });
    const sessionsEnded = await revokeSessionsOf(tx, user.id, now);
    const resetLinksClosed = await closePasswordResetsOf(tx, user.id, now);
    await recordAuditEvent(ctx, tx, { user, via: 'reset-link' }, {
      action: 'user.password.reset',
      target: { type: 'user', id: user.id },
      after: { resetId: reset.id, sessionsEnded, resetLinksClosed },
    });
    return user;
  });
  forgetCachedSessions(ctx.db, { userId: user.id });
  const session = await startSession(ctx, user.id, client);
  return { session, me: await getMe(ctx, user) };
}
