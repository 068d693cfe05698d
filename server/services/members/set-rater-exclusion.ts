// POST /api/campaigns/:id/raters/:userId/exclude and /include: take a rater's judgments out of stats and
// exports (or back in), recorded and reversible, in one transaction with the comparison counters.
import type { TExclusionResponse } from '../../contract/stats';
import { expireOpenLeases, lockMembership, recordExclusion, shiftSubmittedForRater } from '../../db/repositories/raters';
import { AppError } from '../../errors';
import { requireCampaign } from '../campaigns/campaign-view';
import { recordAuditEvent, type AuditActor } from '../audit/record-audit-event';
import type { ServiceContext } from '../context';

export interface ExclusionChange {
  campaignId: string;
  raterId: string;
  excluded: boolean;
  actor: Exclude<AuditActor, 'system'>;
  reason: string | null;
}

/**
 * `submitted` counts the judgments that count, so the claim's `submitted + leased < target` reopens the
 * rater's comparisons on exclusion and closes them again on re-inclusion (a comparison may then hold more
 * than k counted judgments: stats and exports use its k earliest). Excluding also ends the rater's open
 * leases. Asking for the state the rater is already in changes nothing and records nothing.
 */
export async function setRaterExclusion(ctx: ServiceContext, change: ExclusionChange): Promise<TExclusionResponse> {
  await requireCampaign(ctx.db, change.campaignId);
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const member = await lockMembership(tx, change.campaignId, change.raterId);
    if (!member) throw new AppError('NOT_FOUND', 'This user is not a rater of this campaign; pick one from the rater table.');
    const unchanged = { raterId: change.raterId, excluded: change.excluded, comparisonsAffected: 0, leasesClosed: 0 };
    if (member.excluded === change.excluded) return unchanged;
    const { actor, ...exclusion } = change;
    await recordExclusion(tx, { ...exclusion, actorId: actor.user.id, at: now });
    const comparisonsAffected = await shiftSubmittedForRater(tx, change.campaignId, change.raterId, change.excluded ? -1 : 1);
    const leasesClosed = change.excluded ? await expireOpenLeases(tx, change.campaignId, change.raterId, now) : 0;
    await recordAuditEvent(ctx, tx, actor, {
      action: change.excluded ? 'rater.exclude' : 'rater.include',
      target: { type: 'user', id: change.raterId },
      campaignId: change.campaignId,
      before: { excluded: member.excluded },
      after: { excluded: change.excluded, reason: change.reason, comparisonsAffected, leasesClosed },
    });
    return { ...unchanged, comparisonsAffected, leasesClosed };
  });
}
