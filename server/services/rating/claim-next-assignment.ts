// The rater's queue in a campaign: their open leases first (a reload shows the same pair), topped up to
// two (the one shown and the one prefetched) in one short transaction that also reclaims stale leases.
import type { TAssignmentQueue } from '../../contract/rater';
import { findRaterCampaignState, inClaimTransaction, loadAssignmentViews } from '../../db/repositories/rating';
import { drawLeftIsA } from '../../domain/side-order';
import { AppError } from '../../errors';
import type { ServiceContext } from '../context';
import { startOfUtcDay, toQueue } from './assignment-view';

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
  const { prisma } = ctx.db;
  const state = await findRaterCampaignState(prisma, campaignId, raterId, now);
  if (!state || state.excluded !== false) throw notMember();
  if (state.status !== 'ACTIVE') {
    if (!options.explainInactive) return null;
    throw new AppError('CAMPAIGN_NOT_ACTIVE', 'This campaign is not open for rating right now. Come back when its admin reopens it.');
  }
  const ids = [...state.openIds];
  const wanted = options.prefetch ? 2 : 1;
  if (ids.length < wanted) {
    const claimed = await inClaimTransaction(prisma, campaignId, raterId, now, async (locked, tx) => {
      if (locked.excluded !== false || locked.status !== 'ACTIVE') return [];
      const fresh: string[] = [];
      while (ids.length + fresh.length < wanted) {
        const id = ctx.random.uuid();
        const leftIsA = drawLeftIsA(ctx.random.float());
        // Gold is drawn at the campaign's rate and never served alone: no regular work left means done.
        const gold = locked.goldRate > 0 && ctx.random.float() < locked.goldRate;
        // The prefetched lease is issued a millisecond later, so "oldest first" keeps the pair in order.
        const at = new Date(now.getTime() + fresh.length);
        const ok = (gold && (await tx.claim(id, leftIsA, true, at))) || (await tx.claim(id, leftIsA, false, at));
        if (!ok) break;
        fresh.push(id);
      }
      return fresh;
    });
    ids.push(...(claimed ?? []));
  }
  return toQueue(await loadAssignmentViews(prisma, ids, raterId, startOfUtcDay(now)));
}
