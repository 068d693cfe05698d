// The rater's queue in a campaign: their open leases first (a reload shows the same pair), topped up to
// two (the one shown and the one prefetched) in one short transaction that also reclaims stale leases.
import type { TAssignmentQueue } from '../../contract/rater';
import { inClaimTransaction } from '../../db/repositories/rating';
import { drawLeftIsA } from '../../domain/side-order';
import { AppError } from '../../errors';
import type { ServiceContext } from '../context';
import { startOfUtcDay, toQueue } from './assignment-view';
import { openComparisons, raterProgress } from './rater-progress';

export interface ClaimOptions {
  /** Lease a second comparison ahead, so the client can show it the instant it submits. */
  prefetch: boolean;
  /** GET next explains an inactive campaign (409); after a judgment the loop just ends (null). */
  explainInactive: boolean;
}

function notMember(): AppError {
  return new AppError('NOT_A_MEMBER', 'You are not a rater in this campaign. Ask its admin for an invite.');
}

/** The rater's queue, or null when nothing is left for them. Throws NOT_A_MEMBER (also for excluded raters). */
export async function claimNextAssignment(ctx: ServiceContext, raterId: string, campaignId: string, options: ClaimOptions): Promise<TAssignmentQueue | null> {
  const now = ctx.clock.now();
  const wanted = options.prefetch ? 2 : 1;
  const outcome = await inClaimTransaction(ctx.db, campaignId, raterId, now, startOfUtcDay(now), async (state, tx) => {
    if (state.excluded !== false) return 'not a member' as const;
    if (state.status !== 'ACTIVE') return 'inactive' as const;
    const views = [...state.open];
    while (views.length < wanted) {
      const id = ctx.random.uuid();
      const leftIsA = drawLeftIsA(ctx.random.float());
      // Gold is drawn at the campaign's rate and never served alone: no regular work left means done.
      const gold = state.goldRate > 0 && ctx.random.float() < state.goldRate;
      // The prefetched lease is issued a millisecond later, so "oldest first" keeps the pair in order.
      const at = new Date(now.getTime() + views.length - state.open.length);
      const view = (gold ? await tx.claim(id, leftIsA, true, at) : null) ?? (await tx.claim(id, leftIsA, false, at));
      if (!view) break;
      views.push(view);
    }
    return { views, counts: state.counts, cap: state.maxJudgmentsPerRater };
  });
  if (outcome === null || outcome === 'not a member') throw notMember();
  if (outcome === 'inactive') {
    if (!options.explainInactive) return null;
    throw new AppError('CAMPAIGN_NOT_ACTIVE', 'This campaign is not open for rating right now. Come back when its admin reopens it.');
  }
  if (outcome.views.length === 0) return null;
  return toQueue(outcome.views, raterProgress(outcome.counts, outcome.cap, await openComparisons(ctx, campaignId)));
}
