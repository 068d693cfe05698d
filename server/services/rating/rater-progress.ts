// A rater's progress in a campaign: judged today (exact) and comparisons left for them. "Left" needs a
// count over the campaign's comparisons, too slow for every judgment, so that count is cached per
// campaign for a few seconds (display only: no decision depends on it).
import type { TRaterProgress } from '../../contract/rater';
import { countOpenComparisons, type RaterCounts } from '../../db/repositories/rating';
import type { ServiceContext } from '../context';

const OPEN_COUNT_TTL_MS = 5_000;
const openCounts = new Map<string, { at: number; n: number }>();

export async function openComparisons(ctx: ServiceContext, campaignId: string): Promise<number> {
  const now = ctx.clock.now().getTime();
  const hit = openCounts.get(campaignId);
  if (hit && now - hit.at < OPEN_COUNT_TTL_MS && now >= hit.at) return hit.n;
  const n = await countOpenComparisons(ctx.db, campaignId);
  if (openCounts.size > 10_000) openCounts.clear();
  openCounts.set(campaignId, { at: now, n });
  return n;
}

export function raterProgress(counts: RaterCounts, cap: number | null, open: number): TRaterProgress {
  const left = Math.max(0, open - counts.closedOpen);
  return { judgedToday: counts.judgedToday, remaining: cap === null ? left : Math.min(left, Math.max(0, cap - counts.judgedTotal)) };
}
