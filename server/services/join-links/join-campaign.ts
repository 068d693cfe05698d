// Joining a campaign through its join link: what the join page shows, and the join itself, with a new
// account (name, email, password) or an existing one after its password (the single sign-on way is in
// sign-in-with-sso.ts, through joinThroughLink). Never by email alone. One transaction takes the use (under
// the cap), makes the account if new, adds the membership, records it and starts the session.
import type { TMeResponse } from '../../contract/auth';
import type { TJoinLinkInfo, TJoinLinkState, TJoinRequest } from '../../contract/join-links';
import type { Db } from '../../db/handle';
import { isReviewerRaterConflict, isUniqueViolation } from '../../db/errors';
import { findJoinLinkByToken, takeJoinLinkUse, type JoinLinkRow } from '../../db/repositories/join-links';
import { addCampaignMember } from '../../db/repositories/members';
import { findReviewer, isCampaignRater } from '../../db/repositories/reviewers';
import { createUser, findUserForLogin, type LoginUser } from '../../db/repositories/users';
import { AppError } from '../../errors';
import { recordAuditEvent, type AuditActor } from '../audit/record-audit-event';
import { checkPassword } from '../auth/check-password';
import { getMe } from '../auth/get-me';
import { hashPassword } from '../auth/password';
import { assertPasswordLoginAllowed } from '../auth/password-login-policy';
import { startSession, type ClientInfo, type NewSession } from '../auth/start-session';
import type { ServiceContext } from '../context';
import { reviewerRaterConflict } from '../members/campaign-reviewers';
import { joinLinkState } from './manage-join-link';

const AFTERWARDS = 'If you joined already, log in.';

/** What a closed link says, by why it is closed. */
function closedLink(state: Exclude<TJoinLinkState, 'open'>): AppError {
  switch (state) {
    case 'used-up':
      return new AppError('JOIN_LINK_USED_UP', `This link has been used up: as many people as it allows have joined. Ask the campaign's admin for a new link. ${AFTERWARDS}`);
    case 'expired':
      return new AppError('JOIN_LINK_EXPIRED', `This link has expired. Ask the campaign's admin for a new link. ${AFTERWARDS}`);
    case 'revoked':
      return new AppError('JOIN_LINK_CLOSED', `This link was revoked by the campaign's admin. Ask them for a new link. ${AFTERWARDS}`, { state });
    case 'replaced':
      return new AppError('JOIN_LINK_CLOSED', `This link was replaced by a newer one. Ask the campaign's admin for the current link. ${AFTERWARDS}`, { state });
  }
}

/** The link of this token while it is open; a coded refusal otherwise. */
export async function openJoinLink(ctx: ServiceContext, db: Db, token: string): Promise<JoinLinkRow> {
  const link = await findJoinLinkByToken(db, token);
  if (!link) throw new AppError('NOT_FOUND', 'This join link is not valid; check that it was copied whole, or ask for a new one.');
  const state = joinLinkState(link, ctx.clock.now());
  if (state !== 'open') throw closedLink(state);
  return link;
}

export async function describeJoinLink(ctx: ServiceContext, token: string): Promise<TJoinLinkInfo> {
  const link = await openJoinLink(ctx, ctx.db, token);
  return { campaign: { name: link.campaign.name }, expiresAt: link.expiresAt.toISOString(), usesLeft: link.maxUses - link.uses };
}

/**
 * In the caller's transaction: makes `user` a rater of the link's campaign, taking one use (unless they
 * rate it already: a second visit takes none), and records it. Refuses a reviewer of the campaign, and a
 * link that closed or filled up meanwhile (the conditional UPDATE decides, so the cap holds).
 */
export async function joinThroughLink(
  ctx: ServiceContext,
  tx: Db,
  link: JoinLinkRow,
  /** The joining user, as the audit trail names them (they act on their own behalf). */
  actor: Exclude<AuditActor, 'system'>,
  account: 'created' | 'existing' | 'sso',
): Promise<void> {
  const userId = actor.user.id;
  if (await isCampaignRater(tx, link.campaignId, userId)) return;
  if (await findReviewer(tx, link.campaignId, userId)) throw reviewerRaterConflict();
  const now = ctx.clock.now();
  const taken = await takeJoinLinkUse(tx, link.id, now);
  if (!taken) {
    const current = await findJoinLinkByToken(tx, link.token);
    const state = current ? joinLinkState(current, now) : 'revoked';
    throw closedLink(state === 'open' ? 'used-up' : state);
  }
  await addCampaignMember(tx, link.campaignId, userId);
  await recordAuditEvent(ctx, tx, actor, {
    action: 'campaign.join-link.join',
    target: { type: 'user', id: userId },
    campaignId: link.campaignId,
    after: { linkId: link.id, account, uses: taken.uses, maxUses: taken.maxUses },
  });
}

/** The account this request joins with: an existing one after its password, or the hash for a new one. */
async function proveAccount(ctx: ServiceContext, input: TJoinRequest, email: string, ip: string | null): Promise<{ user: LoginUser } | { passwordHash: string }> {
  const existing = await findUserForLogin(ctx.db, email);
  if (!existing) {
    // Same refusal, and about the same time, as a login with an unknown email.
    if (input.account === 'existing') await checkPassword(ctx, email, null, input.password, ip);
    assertPasswordLoginAllowed(ctx, 'RATER', (provider) => `New accounts here sign in with ${provider}, not a password: choose "Join with ${provider}".`);
    return { passwordHash: await hashPassword(input.password) };
  }
  try {
    await checkPassword(ctx, email, existing, input.password, ip);
  } catch (err) {
    if (input.account === 'new' && err instanceof AppError && err.code === 'INVALID_CREDENTIALS') {
      throw new AppError('ACCOUNT_EXISTS', 'An account with this email exists already: choose "I have an account" and enter its password.');
    }
    throw err;
  }
  // Told only after the right password, so it does not reveal which emails have accounts.
  if (!existing.active) throw new AppError('FORBIDDEN', 'This account was deactivated; ask an admin to reactivate it.');
  assertPasswordLoginAllowed(ctx, existing.role);
  return { user: existing };
}

export async function joinWithPassword(
  ctx: ServiceContext,
  token: string,
  input: TJoinRequest,
  client: ClientInfo,
): Promise<{ session: NewSession; me: TMeResponse; campaignId: string }> {
  const link = await openJoinLink(ctx, ctx.db, token);
  const email = input.email.toLowerCase();
  // Hashing and checking passwords take tens of milliseconds: before the transaction, which must stay short.
  const proof = await proveAccount(ctx, input, email, client.ip);
  try {
    const { user, session } = await ctx.db.transaction(async (tx) => {
      let user: { id: string; email: string; name: string; role: LoginUser['role'] };
      if ('user' in proof) user = proof.user;
      else {
        user = await createUser(tx, { email, name: input.account === 'new' ? input.name : email, role: 'RATER', passwordHash: proof.passwordHash });
        await recordAuditEvent(ctx, tx, { user, via: 'join-link' }, {
          action: 'user.create',
          target: { type: 'user', id: user.id },
          campaignId: link.campaignId,
          after: { name: user.name, role: user.role, via: 'join-link', linkId: link.id },
        });
      }
      await joinThroughLink(ctx, tx, link, { user, via: 'join-link' }, 'user' in proof ? 'existing' : 'created');
      return { user, session: await startSession(ctx, user.id, client, tx) };
    });
    return { session, me: await getMe(ctx, user), campaignId: link.campaignId };
  } catch (err) {
    // The same form sent twice at once (a double click): the first made the account; this one changed nothing.
    if (isUniqueViolation(err)) throw new AppError('ACCOUNT_EXISTS', 'An account with this email was made a moment ago (sent twice?): choose "I have an account" and enter its password.');
    if (isReviewerRaterConflict(err)) throw reviewerRaterConflict();
    throw err;
  }
}
