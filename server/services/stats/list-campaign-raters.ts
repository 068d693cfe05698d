// GET /api/campaigns/:id/raters: the rater table alone (quality figures on the overall choice).
import type { TRaterStats } from '../../contract/stats';
import { requireCampaign, reviewThresholdsOf } from '../campaigns/campaign-view';
import type { ServiceContext } from '../context';
import { readJudgmentTable } from './judgment-table';
import { raterTable } from './rater-table';

export async function listCampaignRaters(ctx: ServiceContext, campaignId: string): Promise<TRaterStats[]> {
  const campaign = await requireCampaign(ctx.db.prisma, campaignId);
  return raterTable(await readJudgmentTable(ctx.db.prisma, campaignId, null, ctx.clock.now()), campaign.seed, reviewThresholdsOf(campaign));
}
