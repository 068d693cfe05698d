// "Link my account to <provider>", from the account page: a logged-in user (admins included, whom a
// sign-in never joins by email) proves they hold a provider account by signing in to it, and later
// sign-ins with it find their account by the provider identity. The emails need not match: the user
// proved both sides (their session here, the provider's sign-in). No new session: they stay logged in.
import type { TMeResponse } from '../../../contract/auth';
import { createSsoIdentity, findSsoIdentity, touchSsoIdentity } from '../../../db/repositories/sso-identities';
import { isUniqueViolation } from '../../../db/errors';
import { AppError } from '../../../errors';
import { recordAuditEvent } from '../../audit/record-audit-event';
import type { ServiceContext } from '../../context';
import type { Auth } from '../authenticate';
import { getMe } from '../get-me';
import type { SsoClaims } from './oidc-client';
import { vouchedEmail } from './sign-in-with-sso';

/** The same provider account linked by two requests at once: the unique (issuer, subject) let one through. */
async function guardConcurrentLink(work: () => Promise<unknown>): Promise<void> {
  try {
    await work();
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError('SSO_FAILED', 'This provider account was being linked by another request at the same moment; reload your account page.', { reason: 'concurrent' });
    throw err;
  }
}

export async function linkSsoAccount(ctx: ServiceContext, auth: Auth, claims: SsoClaims): Promise<TMeResponse> {
  const sso = ctx.config.sso;
  if (!sso) throw new AppError('NOT_FOUND', 'Single sign-on is off on this server.');
  const email = vouchedEmail(sso, claims);
  const now = ctx.clock.now();
  await guardConcurrentLink(() => ctx.db.transaction(async (tx) => {
    const linked = await findSsoIdentity(tx, claims.issuer, claims.subject);
    if (linked && linked.user.id !== auth.user.id) {
      throw new AppError('SSO_REFUSED', `This ${sso.displayName} account (${email}) is linked to another Juxta account already; sign in to ${sso.displayName} as yourself and try again.`, {
        reason: 'linked_elsewhere',
      });
    }
    if (linked) return touchSsoIdentity(tx, linked.id, now);
    await createSsoIdentity(tx, { issuer: claims.issuer, subject: claims.subject, email, userId: auth.user.id, at: now });
    await recordAuditEvent(ctx, tx, auth, {
      action: 'user.sso-link',
      target: { type: 'user', id: auth.user.id },
      after: { issuer: claims.issuer, subject: claims.subject, email, via: 'account-page' },
    });
  }));
  return getMe(ctx, auth.user);
}
