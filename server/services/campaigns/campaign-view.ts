// A campaign row and its counts as the API shows them.
import { DEFAULT_REVIEW_THRESHOLDS, ZPairingSchema, ZReviewThresholdsSchema, ZCampaignDesignSchema, type TCampaign, type TReviewThresholds } from '../../contract/campaign';
import type { Db } from '../../db/handle';
import { campaignCounts, findCampaign, type CampaignCountsRow, type CampaignRow } from '../../db/repositories/campaigns';
import { AppError } from '../../errors';

const NO_COUNTS: CampaignCountsRow = { prompts: 0, awaitingResponses: 0, responses: 0, models: 0, comparisons: 0, gold: 0, referenceLabels: 0, rankingTasks: 0, judgments: 0 };

export function toCampaignView(row: CampaignRow, counts: CampaignCountsRow = NO_COUNTS): TCampaign {
  return {
    id: row.id,
    name: row.name,
    status: row.status,
    instructions: row.instructions,
    contentWarning: row.contentWarning,
    contentWarningReviewed: row.contentWarningReviewed,
    guidelineVersion: row.guidelineVersion,
    design: ZCampaignDesignSchema.parse(row.design),
    votesPerComparison: row.votesPerComparison,
    pairing: ZPairingSchema.parse(row.pairing),
    goldRate: row.goldRate,
    maxJudgmentsPerRater: row.maxJudgmentsPerRater,
    leaseSeconds: row.leaseSeconds,
    reviewThresholds: reviewThresholdsOf(row),
    selection: row.selection,
    controlShare: row.controlShare,
    settleMargin: row.settleMargin,
    judgmentBudget: row.judgmentBudget,
    pauseWhenAnswered: row.pauseWhenAnswered,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    counts,
  };
}

/** The campaign's review thresholds: the defaults with what it changed (stored as only the differences). */
export function reviewThresholdsOf(row: Pick<CampaignRow, 'reviewThresholds'>): TReviewThresholds {
  const stored = typeof row.reviewThresholds === 'object' && row.reviewThresholds !== null ? row.reviewThresholds : {};
  return ZReviewThresholdsSchema.parse({ ...DEFAULT_REVIEW_THRESHOLDS, ...stored });
}

/** What to store for thresholds: the ones that differ from the defaults, so that the others follow them. */
export function reviewThresholdOverrides(thresholds: TReviewThresholds): Partial<TReviewThresholds> {
  return Object.fromEntries(Object.entries(thresholds).filter(([key, value]) => DEFAULT_REVIEW_THRESHOLDS[key as keyof TReviewThresholds] !== value));
}

/** The campaign or a 404 that says so. */
export async function requireCampaign(db: Db, id: string): Promise<CampaignRow> {
  const row = await findCampaign(db, id);
  if (!row) throw new AppError('NOT_FOUND', 'There is no campaign with this id: it may have been deleted; pick one from the campaign list.');
  return row;
}

export async function withCounts(db: Db, row: CampaignRow): Promise<TCampaign> {
  const counts = await campaignCounts(db, [row.id]);
  return toCampaignView(row, counts.get(row.id));
}
