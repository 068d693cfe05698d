// Who may sign in with a password: everyone, unless single sign-on is on with OIDC_PASSWORD_LOGIN_ADMINS_ONLY,
// which keeps passwords for admins. Every way a password leads to a session asks here: login, reset links
// (made, asked for by email, used) and joining a campaign through its join link.
import type { Role } from '../../contract/auth';
import { AppError } from '../../errors';
import type { ServiceContext } from '../context';

export function passwordLoginAllowed(ctx: ServiceContext, role: Role): boolean {
  return !ctx.config.sso?.passwordLoginAdminsOnly || role === 'ADMIN';
}

/** Throws PASSWORD_LOGIN_OFF for a non-admin while passwords are for admins only; `why` words the refusal, given the provider's name. */
export function assertPasswordLoginAllowed(
  ctx: ServiceContext,
  role: Role,
  why = (provider: string) => `Password login is for admins only here: use "Sign in with ${provider}" on the login page.`,
): void {
  if (passwordLoginAllowed(ctx, role)) return;
  throw new AppError('PASSWORD_LOGIN_OFF', why(ctx.config.sso!.displayName));
}
