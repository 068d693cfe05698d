// A rater's progress in a campaign: judged today (exact) and comparisons left for them. "Left" needs a
// count over the campaign's comparisons, too slow for every judgment, so that count is cached per
// campaign for a few seconds (display only: no decision depends on it).
import type { TRaterProgress } from '../../contract/rater';
import { countOpenComparisons, type RaterCounts } from '../../db/repositories/rating';
import type { ServiceContext } from '../context';

const OPEN_COUNT_TTL_MS = 5_000;
/** Per campaign: when the count was asked for, and the count (a promise, so that requests arriving while it runs share it). */
const openCounts = new Map<string, { at: number; n: Promise<number> }>();

/**
 * Comparisons still open in a campaign, at most a few seconds old. One count per campaign at a time: when the
 * cached one expires, the requests that arrive while the new count runs wait for it instead of each sending
 * their own (64 raters judging at once sent 64 counts of the whole campaign every 5 s).
 */
export function openComparisons(ctx: ServiceContext, campaignId: string): Promise<number> {
  const now = ctx.clock.now().getTime();
  const hit = openCounts.get(campaignId);
  if (hit && now - hit.at < OPEN_COUNT_TTL_MS && now >= hit.at) return hit.n;
  const n = countOpenComparisons(ctx.db, campaignId);
  if (openCounts.size > 10_000) openCounts.clear();
  const entry = { at: now, n };
  openCounts.set(campaignId, entry);
  // A failed count is not cached: the next request asks again (this one still sees the error).
  n.catch(() => {
    if (openCounts.get(campaignId) === entry) openCounts.delete(campaignId);
  });
  return n;
}

export function raterProgress(counts: RaterCounts, cap: number | null, open: number): TRaterProgress {
  const left = Math.max(0, open - counts.closedOpen);
  return { judgedToday: counts.judgedToday, remaining: cap === null ? left : Math.min(left, Math.max(0, cap - counts.judgedTotal)) };
}
