// GET /api/campaigns/:id/stats: progress, agreement, leaderboard, win rates and the rater table of a campaign.
import { ZTaskDesignSchema } from '../../contract/campaign';
import type { TCampaignStats, TStatsQuery } from '../../contract/stats';
import { countAssignmentsByArm } from '../../db/repositories/selection';
import { AppError } from '../../errors';
import { requireCampaign, reviewThresholdsOf } from '../campaigns/campaign-view';
import type { ServiceContext } from '../context';
import { agreementPanel, withPairKappas } from './agreement-panel';
import { answerPanel, uniformArmOnly } from './answer-panel';
import { readJudgmentTable } from './judgment-table';
import { leaderboardPanel } from './leaderboard-panel';
import { progressPanel } from './progress-panel';
import { rankingAgreement } from './ranking-agreement';
import { withRankingRaterFigures } from './ranking-panel';
import { rankingUnits } from './ranking-units';
import { raterTable } from './rater-table';
import { referencePanel } from './reference-panel';

const HOUR_MS = 3_600_000;

export async function computeCampaignStats(ctx: ServiceContext, campaignId: string, query: TStatsQuery): Promise<TCampaignStats> {
  const campaign = await requireCampaign(ctx.db, campaignId);
  const design = ZTaskDesignSchema.parse(campaign.design);
  const criterion = query.criterion ?? null;
  if (criterion !== null && !design.criteria.some((c) => c.name === criterion)) {
    const names = design.criteria.map((c) => c.name).join(', ');
    throw new AppError('VALIDATION_FAILED', names ? `"${criterion}" is not a criterion of this campaign; use one of: ${names}.` : 'This campaign has no criteria: leave criterion out.');
  }
  // One read of every standing judgment; every panel aggregates the same columns in memory.
  const table = await readJudgmentTable(ctx.db, campaignId, criterion, new Date(ctx.clock.now().getTime() - HOUR_MS));
  // The assignments by arm (for the answer panel) are counted by the database meanwhile: read last, this query held
  // the end of the request by 50 to 120 ms at 250,000 rankings.
  const arms = countAssignmentsByArm(ctx.db, campaignId);
  const bootstrap = { rounds: query.rounds, seed: query.seed };
  // The agreement panel is computed on the stats thread while this thread computes the other panels.
  const agreement = agreementPanel(table, { ...bootstrap, k: campaign.votesPerComparison, withStrength: design.scale.strengthLevels.length > 0 });
  // Should a panel below throw, the stats thread's outcome and the count of arms are not left unhandled (they are
  // awaited below otherwise).
  agreement.catch(() => {});
  arms.catch(() => {});
  // A ranking campaign's judgments, put back together from their pairs, for the figures of whole rankings.
  const rankings = rankingUnits(table);
  const rankingFigures = rankings ? rankingAgreement(rankings, bootstrap) : null;
  const boardTable = query.arm === 'uniform' ? await uniformArmOnly(ctx.db, campaignId, table) : table;
  const board = leaderboardPanel(boardTable, { ...bootstrap, bothBad: query.bothBad }, rankings);
  const progress = progressPanel(table, rankings);
  const reviewThresholds = reviewThresholdsOf(campaign);
  const pairRaters = raterTable(table, campaign.seed, reviewThresholds);
  const raters = rankings ? withRankingRaterFigures(pairRaters, rankings, reviewThresholds) : pairRaters;
  const reference = referencePanel(table, { ...bootstrap, bothBad: query.bothBad });
  // Last, what the stats thread computed meanwhile.
  const { panel, cohenPairs } = await agreement;
  const rankingPanel = rankingFigures ? { ranking: rankingFigures } : {};
  const answer = answerPanel(campaign, board.board, { arm: query.arm, spent: progress.judgments, arms: await arms });
  return {
    criterion,
    progress,
    agreement: { ...panel, ...rankingPanel },
    leaderboard: board.leaderboard,
    winRates: board.winRates,
    reference,
    raters: withPairKappas(raters, cohenPairs),
    surplus: table.surplus,
    reviewThresholds,
    bootstrap: { ...bootstrap, dropped: board.dropped, unit: rankings ? 'ranking' : 'judgment' },
    answer,
  };
}
