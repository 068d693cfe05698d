// GET /api/campaigns/:id/raters: the rater table alone (quality figures on the overall choice).
import type { TRaterStats } from '../../contract/stats';
import { readCampaignRaters, readPackedJudgments } from '../../db/repositories/stats';
import { requireCampaign } from '../campaigns/campaign-view';
import type { ServiceContext } from '../context';
import { decodeJudgments } from './judgment-table';
import { raterTable } from './rater-table';

export async function listCampaignRaters(ctx: ServiceContext, campaignId: string): Promise<TRaterStats[]> {
  const campaign = await requireCampaign(ctx.db.prisma, campaignId);
  const [packed, raters] = await Promise.all([readPackedJudgments(ctx.db.prisma, campaignId, null), readCampaignRaters(ctx.db.prisma, campaignId)]);
  return raterTable(decodeJudgments(packed), raters, campaign.seed);
}
