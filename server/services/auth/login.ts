// Logging in with email and password: check the password (throttled), then start a new session.
import type { TLoginRequest, TMeResponse } from '../../contract/auth';
import { forgetCachedSessions, revokeSessionByTokenHash } from '../../db/repositories/credentials';
import { findUserForLogin } from '../../db/repositories/users';
import { AppError } from '../../errors';
import type { ServiceContext } from '../context';
import { checkPassword } from './check-password';
import { getMe } from './get-me';
import { hashSecret } from './secrets';
import { startSession, type ClientInfo, type NewSession } from './start-session';

export async function login(
  ctx: ServiceContext,
  input: TLoginRequest,
  client: ClientInfo,
  /** The session cookie the browser still sent, if any: it is revoked, as the new session replaces it. */
  previousToken: string | undefined,
): Promise<{ session: NewSession; me: TMeResponse }> {
  const email = input.email.toLowerCase();
  const user = await checkPassword(ctx, email, await findUserForLogin(ctx.db, email), input.password, client.ip);
  // Told only after the right password, so it does not reveal which emails have accounts.
  if (!user.active) throw new AppError('FORBIDDEN', 'This account was deactivated; ask an admin to reactivate it.');
  const sso = ctx.config.sso;
  if (sso?.passwordLoginAdminsOnly && user.role !== 'ADMIN') {
    throw new AppError('PASSWORD_LOGIN_OFF', `Password login is for admins only here: use "Sign in with ${sso.displayName}" on the login page.`);
  }
  if (previousToken) {
    const tokenHash = hashSecret(previousToken);
    await revokeSessionByTokenHash(ctx.db, tokenHash, ctx.clock.now());
    forgetCachedSessions(ctx.db, { tokenHash });
  }
  const session = await startSession(ctx, user.id, client);
  return { session, me: await getMe(ctx, user) };
}
