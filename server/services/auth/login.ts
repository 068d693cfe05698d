// Logging in with email and password: check the password (throttled), then start a new session.
import type { TLoginRequest, TMeResponse } from '../../contract/auth';
import { findUserForLogin } from '../../db/repositories/users';
import { AppError } from '../../errors';
import type { ServiceContext } from '../context';
import { checkPassword } from './check-password';
import { getMe } from './get-me';
import { assertPasswordLoginAllowed } from './password-login-policy';
import { startSession, type ClientInfo, type NewSession } from './start-session';

export async function login(
  ctx: ServiceContext,
  input: TLoginRequest,
  /** With the session cookie the browser still sent, if any: startSession ends it, as the new session replaces it. */
  client: ClientInfo,
): Promise<{ session: NewSession; me: TMeResponse }> {
  const email = input.email.toLowerCase();
  const user = await checkPassword(ctx, email, await findUserForLogin(ctx.db, email), input.password, client.ip);
  // Told only after the right password, so it does not reveal which emails have accounts.
  if (!user.active) throw new AppError('FORBIDDEN', 'This account was deactivated; ask an admin to reactivate it.');
  assertPasswordLoginAllowed(ctx, user.role);
  const session = await startSession(ctx, user.id, client);
  return { session, me: await getMe(ctx, user) };
}
