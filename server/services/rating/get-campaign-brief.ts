// The campaign's brief for one of its raters: members only (excluded raters too are refused), any status,
// so a paused campaign still shows what it is about.
import { ZCampaignDesignSchema, ZTaskDesignSchema } from '../../contract/campaign';
import type { TCampaignBrief } from '../../contract/rater-brief';
import { findBriefForMember } from '../../db/repositories/campaign-brief';
import { AppError } from '../../errors';
import type { ServiceContext } from '../context';

export async function getCampaignBrief(ctx: ServiceContext, raterId: string, campaignId: string): Promise<TCampaignBrief> {
  const campaign = await findBriefForMember(ctx.db, campaignId, raterId);
  // A non-member learns nothing, not even whether the campaign exists.
  if (!campaign) throw new AppError('NOT_A_MEMBER', 'You are not a rater in this campaign. Ask its admin for an invite.');
  const { comparisons, ...brief } = campaign;
  return {
    ...brief,
    design: ZTaskDesignSchema.parse(campaign.design),
    hasComparisons: comparisons.length > 0,
    ranking: ZCampaignDesignSchema.parse(campaign.design).task.type === 'ranking',
  };
}
