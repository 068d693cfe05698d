// GET /api/campaigns/:id/stats: progress, agreement, leaderboard, win rates and the rater table of a campaign.
import { ZTaskDesignSchema } from '../../contract/campaign';
import type { TCampaignStats, TStatsQuery } from '../../contract/stats';
import { readCampaignRaters, readJudgmentsPerDay, readPackedJudgments, readPairOutcomeCounts, readProgress } from '../../db/repositories/stats';
import { AppError } from '../../errors';
import { requireCampaign } from '../campaigns/campaign-view';
import type { ServiceContext } from '../context';
import { agreementPanel } from './agreement-panel';
import { decodeJudgments } from './judgment-table';
import { leaderboardPanel } from './leaderboard-panel';
import { raterTable } from './rater-table';

const HOUR_MS = 3_600_000;

export async function computeCampaignStats(ctx: ServiceContext, campaignId: string, query: TStatsQuery): Promise<TCampaignStats> {
  const { prisma } = ctx.db;
  const campaign = await requireCampaign(prisma, campaignId);
  const design = ZTaskDesignSchema.parse(campaign.design);
  const criterion = query.criterion ?? null;
  if (criterion !== null && !design.criteria.some((c) => c.name === criterion)) {
    const names = design.criteria.map((c) => c.name).join(', ');
    throw new AppError('VALIDATION_FAILED', names ? `"${criterion}" is not a criterion of this campaign; use one of: ${names}.` : 'This campaign has no criteria: leave criterion out.');
  }
  // Independent reads: on Postgres they run side by side on the pool.
  const [progress, perDay, pairCounts, packed, raters] = await Promise.all([
    readProgress(prisma, campaignId, new Date(ctx.clock.now().getTime() - HOUR_MS)),
    readJudgmentsPerDay(prisma, campaignId),
    readPairOutcomeCounts(prisma, campaignId, criterion),
    readPackedJudgments(prisma, campaignId, criterion),
    readCampaignRaters(prisma, campaignId),
  ]);
  const table = decodeJudgments(packed);
  const bootstrap = { rounds: query.rounds, seed: query.seed };
  const board = leaderboardPanel(pairCounts, { ...bootstrap, bothBad: query.bothBad });
  return {
    criterion,
    progress: {
      comparisons: progress.comparisons,
      complete: progress.complete,
      judgments: progress.judgments,
      target: progress.target,
      perDay,
      throughputPerHour: progress.lastHour,
      goldJudgments: progress.goldJudgments,
    },
    agreement: agreementPanel(table, { ...bootstrap, k: campaign.votesPerComparison, withStrength: design.scale.strengthLevels.length > 0 }),
    leaderboard: board.leaderboard,
    winRates: board.winRates,
    raters: raterTable(table, raters, campaign.seed),
    surplus: progress.surplus,
    bootstrap: { ...bootstrap, dropped: board.dropped },
  };
}
