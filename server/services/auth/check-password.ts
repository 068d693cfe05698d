// The one password check (login, and accepting an invite into an existing account), with the per-account
// throttle shared by every instance through the user row.
import { clearFailedLogins, recordFailedLogin, type LoginUser } from '../../db/repositories/users';
import { AppError } from '../../errors';
import type { ServiceContext } from '../context';
import { verifyDummyPassword, verifyPassword } from './password';

function throttled(retryAt: Date, now: Date): AppError {
  const retryAfterSeconds = Math.max(1, Math.ceil((retryAt.getTime() - now.getTime()) / 1000));
  const minutes = Math.ceil(retryAfterSeconds / 60);
  return new AppError('RATE_LIMITED', `Too many failed logins for this account; try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`, {
    retryAfterSeconds,
    retryAt: retryAt.toISOString(),
  });
}

/**
 * Resolves to the user when `password` is theirs (`user`: the account of `email`, if any); otherwise throws
 * INVALID_CREDENTIALS, the same error and about the same time for an unknown email (user null), a
 * password-less account and a wrong password. Once `login.maxFailures` failures fall within `login.windowMinutes`, throws RATE_LIMITED until the window
 * passes, even for the right password (so guessing on gains nothing).
 */
export async function checkPassword(ctx: ServiceContext, email: string, user: LoginUser | null, password: string): Promise<LoginUser> {
  const { maxFailures, windowMinutes } = ctx.config.login;
  const windowMs = windowMinutes * 60_000;
  const now = ctx.clock.now();
  const windowStart = user?.failedLoginWindowStart;
  if (user && windowStart && user.failedLoginCount >= maxFailures && windowStart.getTime() + windowMs > now.getTime()) {
    throw throttled(new Date(windowStart.getTime() + windowMs), now);
  }
  const ok = user?.passwordHash ? await verifyPassword(password, user.passwordHash) : await verifyDummyPassword(password);
  if (ok && user) {
    if (user.failedLoginCount > 0) await clearFailedLogins(ctx.db, user.id);
    return user;
  }
  await recordFailedLogin(ctx.db, email, now, new Date(now.getTime() - windowMs));
  throw new AppError('INVALID_CREDENTIALS', 'The email or password is wrong.');
}
