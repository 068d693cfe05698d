// After the provider vouched for someone: find their account by the provider identity, or link a rater
// account or open rater invites with the same verified email, or create a rater account (when new users
// may join, or they came through a campaign's join link); join that campaign when they did; then start a
// session, which ends the one the browser's cookie held. Admin accounts are never joined by email. All of
// it, the session and its audit rows commit together.
import type { TMeResponse } from '../../../contract/auth';
import { addCampaignMember } from '../../../db/repositories/members';
import { claimInvite, setInviteAcceptedBy } from '../../../db/repositories/invites';
import { createSsoIdentity, findSsoIdentity, listOpenRaterInvitesFor, touchSsoIdentity } from '../../../db/repositories/sso-identities';
import { createUser, findUserForLogin } from '../../../db/repositories/users';
import type { Db } from '../../../db/handle';
import { isReviewerRaterConflict, isUniqueViolation } from '../../../db/errors';
import { reviewerRaterConflict } from '../../members/campaign-reviewers';
import { emailDomain, isEmailDomainAllowed } from '../../../domain/email-domain';
import { AppError } from '../../../errors';
import { recordAuditEvent } from '../../audit/record-audit-event';
import type { ServiceContext } from '../../context';
import type { Auth, AuthUser } from '../authenticate';
import { getMe } from '../get-me';
import { startSession, type ClientInfo, type NewSession } from '../start-session';
import type { JoinLinkRow } from '../../../db/repositories/join-links';
import type { SsoConfig } from '../../../config';
import { joinThroughLink } from '../../join-links/join-campaign';
import type { SsoClaims } from './oidc-client';

const refused = (reason: string, message: string) => new AppError('SSO_REFUSED', message, { reason });

/** The user acting on their own account (their session is being made in the same transaction). */
const self = (user: AuthUser): Auth => ({ user, via: 'session', credentialId: '' });

/** Takes up the open rater invites for the email: the user joins their campaigns. Returns the campaigns joined. */
async function takeUpInvites(ctx: ServiceContext, tx: Db, userId: string, email: string): Promise<string[]> {
  const now = ctx.clock.now();
  const campaigns: string[] = [];
  for (const invite of await listOpenRaterInvitesFor(tx, email, now)) {
    if (!(await claimInvite(tx, invite.id, now))) continue; // taken a moment ago by its link
    await setInviteAcceptedBy(tx, invite.id, userId);
    if (invite.campaignId) {
      await addCampaignMember(tx, invite.campaignId, userId);
      campaigns.push(invite.campaignId);
    }
  }
  return campaigns;
}

/** The account for this provider identity: already linked, joined by verified email, or made now (`joining`: through a join link, an invitation too). */
async function findOrMakeAccount(
  ctx: ServiceContext,
  tx: Db,
  claims: SsoClaims,
  email: string,
  joining: boolean,
): Promise<{ user: AuthUser & { active: boolean }; how: 'linked' | 'joined' | 'created' }> {
  const sso = ctx.config.sso!;
  const identity = { issuer: claims.issuer, subject: claims.subject, email };
  const now = ctx.clock.now();
  const linked = await findSsoIdentity(tx, claims.issuer, claims.subject);
  if (linked) {
    if (!linked.user.active) throw refused('deactivated', 'This account was deactivated; ask an admin to reactivate it.');
    await touchSsoIdentity(tx, linked.id, now);
    return { user: linked.user, how: 'linked' };
  }
  const existing = await findUserForLogin(tx, email);
  if (existing) {
    // Decided: a verified email may join a rater account, never an admin one (an admin proves it with the password).
    if (existing.role === 'ADMIN') {
      throw refused('admin_account', `${email} belongs to an admin account, which single sign-on never joins by email: log in with your password.`);
    }
    if (!existing.active) throw refused('deactivated', 'This account was deactivated; ask an admin to reactivate it.');
    await createSsoIdentity(tx, { ...identity, userId: existing.id, at: now });
    const campaigns = await takeUpInvites(ctx, tx, existing.id, email);
    await recordAuditEvent(ctx, tx, self(existing), { action: 'user.sso-link', target: { type: 'user', id: existing.id }, after: { ...identity, campaigns } });
    return { user: existing, how: 'joined' };
  }
  const invites = await listOpenRaterInvitesFor(tx, email, now);
  if (invites.length === 0 && !joining && sso.newUsers === 'invite-only') {
    throw refused('not_invited', `There is no account or invite for ${email} here. Ask an admin to invite this email, then sign in again.`);
  }
  const created = await createUser(tx, { email, name: claims.name?.trim().slice(0, 200) || email.slice(0, email.indexOf('@')), role: 'RATER', passwordHash: null });
  await createSsoIdentity(tx, { ...identity, userId: created.id, at: now });
  const campaigns = await takeUpInvites(ctx, tx, created.id, email);
  await recordAuditEvent(ctx, tx, self(created), {
    action: 'user.create',
    target: { type: 'user', id: created.id },
    after: { name: created.name, role: created.role, via: 'sso', ...identity, campaigns },
  });
  return { user: created, how: 'created' };
}

/** The provider account's email, when it may be used here: shared, of an allowed domain, verified by the provider. */
export function vouchedEmail(sso: SsoConfig, claims: SsoClaims): string {
  const email = claims.email;
  if (!email) throw refused('no_email', 'The sign-in provider did not share your email address; allow Juxta the email scope and try again.');
  if (!isEmailDomainAllowed(email, sso.allowedEmailDomains)) {
    throw refused('domain_not_allowed', `Sign-ins with a ${emailDomain(email)} email are not allowed here; use your ${sso.allowedEmailDomains!.join(' or ')} account.`);
  }
  if (!claims.emailVerified) {
    throw refused('email_unverified', `The sign-in provider has not verified ${email}; verify it there, then sign in again.`);
  }
  return email;
}

export async function signInWithSso(
  ctx: ServiceContext,
  claims: SsoClaims,
  client: ClientInfo,
  /** The open join link the sign-in started from, if any: the account joins its campaign. */
  join: JoinLinkRow | null = null,
): Promise<{ session: NewSession; me: TMeResponse }> {
  const sso = ctx.config.sso;
  if (!sso) throw new AppError('NOT_FOUND', 'Single sign-on is off on this server.');
  const email = vouchedEmail(sso, claims);
  try {
    const { user, session } = await ctx.db.transaction(async (tx) => {
      const { user, how } = await findOrMakeAccount(ctx, tx, claims, email, join !== null);
      if (join) await joinThroughLink(ctx, tx, join, self(user), how === 'created' ? 'created' : 'sso');
      const session = await startSession(ctx, user.id, client, tx);
      await recordAuditEvent(ctx, tx, self(user), {
        action: 'auth.sso-sign-in',
        target: { type: 'user', id: user.id },
        after: { issuer: claims.issuer, subject: claims.subject, email, account: how, ip: client.ip },
      });
      return { user, session };
    });
    return { session, me: await getMe(ctx, user) };
  } catch (err) {
    // Two first sign-ins at once, or an invite accepted with a password meanwhile: the next try finds the account.
    if (isUniqueViolation(err)) throw new AppError('SSO_FAILED', 'Your account was being set up by another sign-in at the same moment; sign in again.', { reason: 'concurrent' });
    if (isReviewerRaterConflict(err)) throw reviewerRaterConflict();
    throw err;
  }
}
