// The rater's queue in a campaign: their open leases first (a reload shows the same pair), topped up to
// two (the one shown and the one prefetched) in one short transaction that also reclaims stale leases.
// A paused campaign leases nothing new but still shows the leases already open; when nothing more can
// be leased the result says why (`stop`).
import type { TAssignmentQueue, TRaterStop } from '../../contract/rater';
import { inClaimTransaction, type NothingLeft } from '../../db/repositories/rating';
import { chooseClaimArm } from '../../domain/selection/claim-arm';
import { mayClaim, mayKeepLeases, stopReason } from '../../domain/rater-campaign-state';
import { drawLeftIsA } from '../../domain/side-order';
import { AppError } from '../../errors';
import type { ServiceContext } from '../context';
import { startOfUtcDay, toQueue } from './assignment-view';
import { rememberLeases } from './lease-facts';
import { openComparisons, raterProgress } from './rater-progress';

export interface ClaimOptions {
  /** Lease a second comparison ahead, so the client can show it the instant it submits. */
  prefetch: boolean;
  /** GET next answers 409 when the campaign gives this rater nothing because it is not active; after a judgment the loop just ends (null, with `stop`). */
  explainInactive: boolean;
}

/** The rater's queue (null: nothing for them), and when nothing more could be leased, why. */
export interface ClaimResult {
  next: TAssignmentQueue | null;
  stop?: TRaterStop;
  retryAfterSeconds?: number;
}

function notMember(): AppError {
  return new AppError('NOT_A_MEMBER', 'You are not a rater in this campaign. Ask its admin for an invite.');
}

export function campaignNotActive(): AppError {
  return new AppError('CAMPAIGN_NOT_ACTIVE', 'This campaign is not open for rating right now. Come back when its admin reopens it.');
}

/** Throws NOT_A_MEMBER (also for excluded raters), and CAMPAIGN_NOT_ACTIVE when `explainInactive` and the campaign leaves the rater nothing. */
export async function claimNextAssignment(ctx: ServiceContext, raterId: string, campaignId: string, options: ClaimOptions): Promise<ClaimResult> {
  const now = ctx.clock.now();
  const wanted = options.prefetch ? 2 : 1;
  const outcome = await inClaimTransaction(ctx.db, campaignId, raterId, now, startOfUtcDay(now), async (state, { open, counts }, tx) => {
    if (state.excluded !== false) return 'not a member' as const;
    const cap = state.maxJudgmentsPerRater;
    if (!mayKeepLeases(state.status)) return { views: [], counts: null, cap, why: stopReason({ status: state.status, cap, used: 0, freeAt: null }, now) };
    const views = [...open];
    let nothingLeft: NothingLeft | null = null;
    while (mayClaim(state.status) && views.length < wanted) {
      const id = ctx.random.uuid();
      const leftIsA = drawLeftIsA(ctx.random.float());
      // Gold is drawn at the campaign's rate and never served alone: no regular work left means done.
      const gold = state.goldRate > 0 && ctx.random.float() < state.goldRate;
      // The prefetched lease is issued a millisecond later, so "oldest first" keeps the pair in order.
      const at = new Date(now.getTime() + views.length - open.length);
      const arm = (wantsGold: boolean) =>
        chooseClaimArm({ ...state, now, staleSeconds: ctx.config.selection.staleSeconds, gold: wantsGold, draw: () => ctx.random.float() });
      const goldView = gold ? await tx.claim(id, leftIsA, true, at, arm(true)) : null;
      if (goldView) {
        views.push(goldView);
        continue;
      }
      const regular = arm(false);
      // The last lease wanted, in id order (no fallback to follow): leased and committed in one round trip.
      if (views.length + 1 === wanted && regular !== 'active') {
        const last = await tx.claimAndCommit(id, leftIsA, at, regular);
        if (last.view) views.push(last.view);
        nothingLeft = last.nothingLeft;
        break;
      }
      const view = await tx.claim(id, leftIsA, false, at, regular);
      if (!view) break;
      views.push(view);
    }
    const short = views.length < wanted;
    const why = short ? stopReason({ status: state.status, cap, ...(nothingLeft ?? (await tx.whyNothingLeft())) }, now) : undefined;
    return { views, counts, cap, why };
  });
  if (outcome === null || outcome === 'not a member') throw notMember();
  rememberLeases(raterId, outcome.views);
  if (outcome.views.length === 0 || !outcome.counts) {
    if (options.explainInactive && outcome.why?.stop === 'CAMPAIGN_NOT_ACTIVE') throw campaignNotActive();
    return { next: null, ...outcome.why };
  }
  const queue = toQueue(outcome.views, raterProgress(outcome.counts, outcome.cap, await openComparisons(ctx, campaignId)))!;
  return { next: queue.next ? queue : { ...queue, ...outcome.why } };
}
