// A campaign row and its counts as the API shows them.
import { ZPairingSchema, ZTaskDesignSchema, type TCampaign } from '../../contract/campaign';
import { campaignCounts, findCampaign, type CampaignCountsRow, type CampaignRow, type Db } from '../../db/repositories/campaigns';
import { AppError } from '../../errors';

const NO_COUNTS: CampaignCountsRow = { prompts: 0, responses: 0, models: 0, comparisons: 0, gold: 0, judgments: 0 };

export function toCampaignView(row: CampaignRow, counts: CampaignCountsRow = NO_COUNTS): TCampaign {
  return {
    id: row.id,
    name: row.name,
    status: row.status,
    instructions: row.instructions,
    contentWarning: row.contentWarning,
    guidelineVersion: row.guidelineVersion,
    design: ZTaskDesignSchema.parse(row.design),
    votesPerComparison: row.votesPerComparison,
    pairing: ZPairingSchema.parse(row.pairing),
    goldRate: row.goldRate,
    maxJudgmentsPerRater: row.maxJudgmentsPerRater,
    leaseSeconds: row.leaseSeconds,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    counts,
  };
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
