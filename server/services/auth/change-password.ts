// Changing one's own password: the current one is required (checked with the login's back-off), and every
// other session of the account ends, so a session someone else opened does not outlive the change.
import type { TChangePasswordRequest } from '../../contract/account';
import { forgetCachedSessions, revokeSessionsOf } from '../../db/repositories/credentials';
import { closePasswordResetsOf } from '../../db/repositories/password-resets';
import { findUserForLogin, updateUser } from '../../db/repositories/users';
import { recordAuditEvent } from '../audit/record-audit-event';
import type { ServiceContext } from '../context';
import type { Auth } from './authenticate';
import { checkPassword } from './check-password';
import { hashPassword } from './password';

export async function changeOwnPassword(ctx: ServiceContext, auth: Auth, input: TChangePasswordRequest, ip: string | null): Promise<{ sessionsEnded: number }> {
  await checkPassword(ctx, auth.user.email, await findUserForLogin(ctx.db, auth.user.email), input.currentPassword, ip);
  const passwordHash = await hashPassword(input.newPassword);
  const now = ctx.clock.now();
  const sessionsEnded = await ctx.db.transaction(async (tx) => {
    await updateUser(tx, auth.user.id, { passwordHash });
    // The session of this request stays (route: session only); the others end.
    const ended = await revokeSessionsOf(tx, auth.user.id, now, auth.credentialId);
    const resetLinksClosed = await closePasswordResetsOf(tx, auth.user.id, now);
    await recordAuditEvent(ctx, tx, auth, {
      action: 'user.password.change',
      target: { type: 'user', id: auth.user.id },
      after: { sessionsEnded: ended, resetLinksClosed },
    });
    return ended;
  });
  forgetCachedSessions(ctx.db, { userId: auth.user.id });
  return { sessionsEnded };
}
