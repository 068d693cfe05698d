// The background half of active selection: every SELECTION_REFRESH_SECONDS each instance offers to refresh the
// model-pair priorities of the active campaigns that are due (and to check the stopping rule of those that pause
// themselves when answered); one instance at a time takes them (advisory lock
// and a stamp, server/db/sql/selection.ts), fits the leaderboard from the counted judgments as the stats do,
// and writes the priorities in one statement. The claim only reads them: it never computes stats.
import { pairPriorities } from '../../domain/selection/pair-priority';
import { readFullPairs, takeDueRefreshes, writePairPriorities } from '../../db/repositories/selection';
import type { ServiceContext } from '../context';
import { stoppingVerdict } from '../../domain/selection/stopping-rule';
import { requireCampaign } from '../campaigns/campaign-view';
import { updateCampaign } from '../campaigns/update-campaign';
import { readJudgmentTable } from '../stats/judgment-table';
import { progressPanel } from '../stats/progress-panel';
import { rankingUnits } from '../stats/ranking-units';
import { pairOutcomes } from '../stats/leaderboard-panel';
import { runOnStatsThread } from '../../process/stats-thread';

/** Bootstrap rounds behind a refresh: the reversed share is read to 1/200, well below the 2.5% it is compared with. */
export const REFRESH_ROUNDS = 200;
/** Campaigns one instance refreshes per round; the rest wait for the next round. */
const CAMPAIGNS_PER_ROUND = 20;

/**
 * Fits the campaign's leaderboard and writes its priorities as of `now`; then, when the campaign asks for it and the
 * stopping rule says it is answered, pauses it (audited as done by the system). Returns the judgments behind the fit.
 */
export async function refreshCampaignPriorities(ctx: ServiceContext, campaignId: string, now = ctx.clock.now()): Promise<{ judgments: number; paused: boolean }> {
  const campaign = await requireCampaign(ctx.db, campaignId);
  const table = await readJudgmentTable(ctx.db, campaignId, null, now);
  const outcomes = pairOutcomes(table, 'tie');
  // On the stats thread: the bootstrap (tens to hundreds of ms) would otherwise hold up this instance's claims.
  const board = await runOnStatsThread('leaderboard', { rows: outcomes, rounds: REFRESH_ROUNDS, seed: 1 });
  const judgments = outcomes.reduce((n, o) => n + o.winsA + o.winsB + o.ties, 0);
  const full = await readFullPairs(ctx.db, campaignId);
  await writePairPriorities(ctx.db, campaignId, pairPriorities(board, table.comparisons.models, 0.95, full), now, judgments);
  if (!campaign.pauseWhenAnswered || campaign.status !== 'ACTIVE') return { judgments, paused: false };
  const spent = progressPanel(table, rankingUnits(table)).judgments;
  const verdict = stoppingVerdict(board, { margin: campaign.settleMargin, budget: campaign.judgmentBudget, spent, level: 0.95 });
  if (verdict.answered === null) return { judgments, paused: false };
  await updateCampaign(ctx, 'system', campaignId, { status: 'PAUSED' });
  ctx.log.info(`campaign ${campaignId} paused: answered (${verdict.answered === 'settled' ? 'every adjacent pair settled' : 'judgment budget spent'})`);
  return { judgments, paused: true };
}

/** One round: takes the due refreshes (none when another instance is taking them) and does them; returns how many. */
export async function refreshDuePriorities(ctx: ServiceContext): Promise<number> {
  const now = ctx.clock.now();
  const { refreshSeconds } = ctx.config.selection;
  const dueBefore = new Date(now.getTime() - refreshSeconds * 1000);
  // A stamp this old belongs to an instance that died while refreshing: take the refresh over.
  const lapsedBefore = new Date(now.getTime() - Math.max(60, 4 * refreshSeconds) * 1000);
  const campaignIds = await takeDueRefreshes(ctx.db, now, dueBefore, lapsedBefore, CAMPAIGNS_PER_ROUND);
  for (const campaignId of campaignIds) await refreshCampaignPriorities(ctx, campaignId);
  return campaignIds.length;
}

/** Runs a round every SELECTION_REFRESH_SECONDS until the returned function is called; a round never overlaps the last; failures are logged. */
export function refreshPrioritiesPeriodically(ctx: ServiceContext): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    refreshDuePriorities(ctx)
      .catch((err: unknown) => ctx.log.warn({ err }, 'could not refresh selection priorities; claims stay uniform until a refresh succeeds'))
      .finally(() => {
        running = false;
      });
  }, ctx.config.selection.refreshSeconds * 1000);
  timer.unref();
  return () => clearInterval(timer);
}
