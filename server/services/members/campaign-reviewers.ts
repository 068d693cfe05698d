// A campaign's reviewers: admins add them (with or without the right to export), change or remove them.
// A reviewer sees the other raters' answers, so one person is never both a rater and a reviewer of a campaign.
import type { TCampaignReviewer } from '../../contract/team';
import { isReviewerRaterConflict } from '../../db/errors';
import { campaignExists } from '../../db/repositories/members';
import { deleteReviewer, findReviewer, isCampaignRater, listReviewers as selectReviewers, upsertReviewer } from '../../db/repositories/reviewers';
import { findUserById } from '../../db/repositories/users';
import { AppError } from '../../errors';
import { recordAuditEvent } from '../audit/record-audit-event';
import type { ServiceContext } from '../context';
import type { Auth } from '../auth/authenticate';

/** Raised when a rater of a campaign would become its reviewer, or a reviewer its rater. */
export function reviewerRaterConflict(): AppError {
  return new AppError(
    'RATER_REVIEWER_CONFLICT',
    "One person cannot both rate and review a campaign: a reviewer sees the other raters' answers. Choose another account.",
  );
}

/** Runs `work`, turning the database's guard against a rater-and-reviewer (a race the checks before it missed) into a 409. */
export async function guardReviewerRater<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (isReviewerRaterConflict(err)) throw reviewerRaterConflict();
    throw err;
  }
}

export async function setCampaignReviewer(
  ctx: ServiceContext,
  actor: Auth,
  campaignId: string,
  input: { userId: string; canExport: boolean },
): Promise<TCampaignReviewer> {
  return guardReviewerRater(() =>
    ctx.db.transaction(async (tx) => {
      if (!(await campaignExists(tx, campaignId))) throw new AppError('NOT_FOUND', 'No campaign has this id.');
      const user = await findUserById(tx, input.userId);
      if (!user) throw new AppError('NOT_FOUND', 'No user has this id; list the users to find it.');
      if (!user.active) throw new AppError('USER_INACTIVE', 'This account is deactivated; reactivate it first.');
      if (user.role === 'ADMIN') throw new AppError('ALREADY_ADMIN', 'Admins already review every campaign; choose a rater account.');
      if (await isCampaignRater(tx, campaignId, user.id)) throw reviewerRaterConflict();
      const { before, row } = await upsertReviewer(tx, campaignId, user.id, input.canExport, ctx.clock.now());
      await recordAuditEvent(ctx, tx, actor, {
        action: before ? 'campaign.reviewer.update' : 'campaign.reviewer.add',
        target: { type: 'user', id: user.id },
        campaignId,
        before: before ? { email: user.email, canExport: before.canExport } : null,
        after: { email: user.email, canExport: row.canExport },
      });
      return { userId: user.id, email: user.email, name: user.name, active: user.active, canExport: row.canExport, addedAt: row.addedAt.toISOString() };
    }),
  );
}

export async function removeCampaignReviewer(ctx: ServiceContext, actor: Auth, campaignId: string, userId: string): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const before = await findReviewer(tx, campaignId, userId);
    if (!before || !(await deleteReviewer(tx, campaignId, userId))) throw new AppError('NOT_FOUND', 'This account does not review this campaign.');
    const user = await findUserById(tx, userId);
    await recordAuditEvent(ctx, tx, actor, {
      action: 'campaign.reviewer.remove',
      target: { type: 'user', id: userId },
      campaignId,
      before: { email: user?.email ?? null, canExport: before.canExport },
    });
  });
}

export async function listCampaignReviewers(ctx: ServiceContext, campaignId: string): Promise<TCampaignReviewer[]> {
  if (!(await campaignExists(ctx.db, campaignId))) throw new AppError('NOT_FOUND', 'No campaign has this id.');
  return (await selectReviewers(ctx.db, campaignId)).map((r) => ({
    userId: r.user.id,
    email: r.user.email,
    name: r.user.name,
    active: r.user.active,
    canExport: r.canExport,
    addedAt: r.addedAt.toISOString(),
  }));
}

/** What the user may do as a reviewer of the campaign; null when they review it not. */
export async function findReviewerGrant(ctx: ServiceContext, campaignId: string, userId: string): Promise<{ canExport: boolean } | null> {
  return findReviewer(ctx.db, campaignId, userId);
}
