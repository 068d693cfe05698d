// Accepting an invite: claims it once (two concurrent accepts: one wins), creates the account or joins an
// existing one (after its password), adds the campaign membership, and logs the user in.
import type { TAcceptInviteRequest, TMeResponse } from '../../contract/auth';
import { claimInvite, setInviteAcceptedBy } from '../../db/repositories/invites';
import { isReviewerRaterConflict, isUniqueViolation } from '../../db/errors';
import { addCampaignMember, joinAllCampaigns } from '../../db/repositories/members';
import { adminExists, createUser, findUserForLogin, updateUser, type LoginUser } from '../../db/repositories/users';
import { AppError } from '../../errors';
import { recordAuditEvent } from '../audit/record-audit-event';
import type { ServiceContext } from '../context';
import { reviewerRaterConflict } from '../members/campaign-reviewers';
import { checkPassword } from './check-password';
import { isSetupInvite, openInvite } from './describe-invite';
import { getMe } from './get-me';
import { hashPassword } from './password';
import { assertPasswordLoginAllowed } from './password-login-policy';
import { startSession, type ClientInfo, type NewSession } from './start-session';

// Hashing and checking passwords take tens of milliseconds each: done before the transaction, which must stay short.
type Plan = { join: LoginUser; passwordHash?: never } | { join: null; passwordHash: string };

/** Joining an account that exists needs its password, with the same throttle as a login. */
async function planJoin(ctx: ServiceContext, existing: LoginUser, password: string, ip: string | null): Promise<Plan> {
  await checkPassword(ctx, existing.email, existing, password, ip);
  if (!existing.active) throw new AppError('FORBIDDEN', 'This account was deactivated; ask an admin to reactivate it.');
  return { join: existing };
}

export async function acceptInvite(
  ctx: ServiceContext,
  token: string,
  input: TAcceptInviteRequest,
  client: ClientInfo,
): Promise<{ session: NewSession; me: TMeResponse }> {
  const invite = await openInvite(ctx, token);
  const email = (invite.email ?? input.email)?.toLowerCase();
  if (!email) throw new AppError('VALIDATION_FAILED', 'Enter your email address.', { issues: [{ path: 'body.email', message: 'enter your email' }] });
  const existing = await findUserForLogin(ctx.db, email);
  // Accepting with a password logs the account in with it: refused to non-admins while passwords are for
  // admins only (they accept by signing in with the provider, which links the invite by its verified email).
  assertPasswordLoginAllowed(
    ctx,
    invite.role === 'ADMIN' ? 'ADMIN' : (existing?.role ?? invite.role),
    (provider) => `Invitations here are accepted by signing in with ${provider}: choose "Sign in with ${provider}" on the login page, with this email.`,
  );
  const plan = existing ? await planJoin(ctx, existing, input.password, client.ip) : { join: null, passwordHash: await hashPassword(input.password) };
  const now = ctx.clock.now();
  let user;
  try {
    user = await ctx.db.transaction(async (tx) => {
      if (!(await claimInvite(tx, invite.id, now))) throw new AppError('INVITE_USED', 'This invite link was just used; log in, or ask for a new link.');
      if (isSetupInvite(invite) && (await adminExists(tx))) throw new AppError('INVITE_USED', 'An admin account exists already; log in instead.');
      const account = plan.join
        ? invite.role === 'ADMIN' && plan.join.role !== 'ADMIN'
          ? await updateUser(tx, plan.join.id, { role: 'ADMIN' })
          : plan.join
        : await createUser(tx, { email, name: input.name, role: invite.role, passwordHash: plan.passwordHash });
      if (invite.campaignId) await addCampaignMember(tx, invite.campaignId, account.id);
      // The first admin (setup link) joins what exists, i.e. the demo campaign, so they can rate it right away.
      if (isSetupInvite(invite)) await joinAllCampaigns(tx, account.id);
      await setInviteAcceptedBy(tx, invite.id, account.id);
      await recordAuditEvent(ctx, tx, { user: account, via: 'invite-link' }, {
        action: 'invite.accept',
        target: { type: 'invite', id: invite.id },
        campaignId: invite.campaignId,
        after: { userId: account.id, email: account.email, role: account.role, account: plan.join ? 'existing' : 'new', setup: isSetupInvite(invite) },
      });
      return account;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError('ACCOUNT_EXISTS', 'An account with this email was just created; log in, or accept the invite with its password.');
    // The account reviews the invite's campaign: it cannot rate it too (nothing was used up: the transaction rolled back).
    if (isReviewerRaterConflict(err)) throw reviewerRaterConflict();
    throw err;
  }
  const session = await startSession(ctx, user.id, client);
  return { session, me: await getMe(ctx, user) };
}
