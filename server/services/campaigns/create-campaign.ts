// Creates a campaign (a name alone is enough: the contract fills the defaults) with its own random seed.
import { ZCreateCampaignRequestSchema, type TCampaign, type TCreateCampaignRequest } from '../../contract/campaign';
import { insertCampaign } from '../../db/repositories/campaigns';
import type { ServiceContext } from '../context';
import { reviewThresholdOverrides, toCampaignView } from './campaign-view';

export async function createCampaign(ctx: ServiceContext, request: TCreateCampaignRequest): Promise<TCampaign> {
  const settings = ZCreateCampaignRequestSchema.parse(request);
  // The seed fixes canonical A/B order, train/test split and rater pseudonyms for the campaign's life.
  const row = await insertCampaign(ctx.db.prisma, {
    ...settings,
    reviewThresholds: reviewThresholdOverrides(settings.reviewThresholds),
    seed: ctx.random.bytes(16).toString('hex'),
  });
  return toCampaignView(row);
}
