// The one password check (login, and accepting an invite into an existing account), with the login
// back-off shared by every instance through the LoginFailure table.
//
// The back-off slows a guesser without locking the owner out (a lockout per account let anyone keep the
// owner out with ten wrong tries, and told which emails exist because unknown ones never locked):
// - per email and client address: `login.maxFailures` failures within the window are free; after that each
//   attempt from that address waits 1 s, 2 s, 4 s ... (capped at the window) after its last failure;
// - per email, across addresses (a small global cap against guessing from many addresses): once
//   `login.accountCap` failures fall within the window, addresses that failed for this email wait until
//   their window passes; an address with no failure on record (the owner's, normally) still gets in.
// Waiting attempts are refused before the password is checked and are not counted. Unknown emails are
// counted and answered exactly like known ones.
import { clearLoginFailures, findLoginFailureState, recordLoginFailure, type LoginUser } from '../../db/repositories/users';
import { AppError } from '../../errors';
import type { ServiceContext } from '../context';
import { verifyDummyPassword, verifyPassword } from './password';

function throttled(retryAt: Date, now: Date): AppError {
  const retryAfterSeconds = Math.max(1, Math.ceil((retryAt.getTime() - now.getTime()) / 1000));
  const wait = retryAfterSeconds < 60 ? `${retryAfterSeconds} second${retryAfterSeconds === 1 ? '' : 's'}` : `${Math.ceil(retryAfterSeconds / 60)} minutes`;
  return new AppError('RATE_LIMITED', `Too many failed logins for this email from your address; try again in ${wait}.`, {
    retryAfterSeconds,
    retryAt: retryAt.toISOString(),
  });
}

/** When this address may try again, or null when it may now. */
export function backOffUntil(
  state: { mine: number; lastAt: Date | null; mineWindowStart: Date | null; total: number },
  login: { maxFailures: number; windowMinutes: number; accountCap: number },
  now: Date,
): Date | null {
  const windowMs = login.windowMinutes * 60_000;
  if (state.mine === 0 || !state.lastAt || !state.mineWindowStart) return null;
  const windowEnd = new Date(state.mineWindowStart.getTime() + windowMs);
  if (state.total >= login.accountCap) return windowEnd > now ? windowEnd : null;
  if (state.mine < login.maxFailures) return null;
  const delayMs = Math.min(windowMs, 1000 * 2 ** Math.min(30, state.mine - login.maxFailures));
  const until = new Date(state.lastAt.getTime() + delayMs);
  return until > now ? until : null;
}

/**
 * Resolves to the user when `password` is theirs (`user`: the account of `email`, if any); otherwise throws
 * INVALID_CREDENTIALS, the same error and about the same time for an unknown email (user null), a
 * password-less account and a wrong password; RATE_LIMITED while this address must wait (see above).
 */
export async function checkPassword(ctx: ServiceContext, email: string, user: LoginUser | null, password: string, ip: string | null): Promise<LoginUser> {
  const { login } = ctx.config;
  const address = ip ?? '';
  const now = ctx.clock.now();
  const windowStartAfter = new Date(now.getTime() - login.windowMinutes * 60_000);
  const state = await findLoginFailureState(ctx.db, email, address, windowStartAfter);
  const until = backOffUntil(state, login, now);
  if (until) throw throttled(until, now);
  const ok = user?.passwordHash ? await verifyPassword(password, user.passwordHash) : await verifyDummyPassword(password);
  if (ok && user) {
    if (state.mine > 0) await clearLoginFailures(ctx.db, email, address);
    return user;
  }
  await recordLoginFailure(ctx.db, email, address, now, windowStartAfter);
  throw new AppError('INVALID_CREDENTIALS', 'The email or password is wrong.');
}
