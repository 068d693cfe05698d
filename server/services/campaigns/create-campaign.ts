// Creates a campaign (a name alone is enough: the contract fills the defaults) with its own random seed; it
// starts as a draft unless the request says otherwise.
import { ZCreateCampaignRequestSchema, type TCampaign, type TCreateCampaignRequest } from '../../contract/campaign';
import { insertCampaign } from '../../db/repositories/campaigns';
import { recordAuditEvent, type AuditActor } from '../audit/record-audit-event';
import type { ServiceContext } from '../context';
import { reviewThresholdOverrides, toCampaignView } from './campaign-view';

export async function createCampaign(ctx: ServiceContext, actor: AuditActor, request: TCreateCampaignRequest): Promise<TCampaign> {
  const settings = ZCreateCampaignRequestSchema.parse(request);
  const row = await ctx.db.transaction(async (tx) => {
    // The seed fixes canonical A/B order, train/test split and rater pseudonyms for the campaign's life.
    const created = await insertCampaign(tx, {
      ...settings,
      // A warning given at creation answers the question; otherwise it waits for the admin (or the flag).
      contentWarningReviewed: settings.contentWarningReviewed ?? settings.contentWarning !== null,
      reviewThresholds: reviewThresholdOverrides(settings.reviewThresholds),
      seed: ctx.random.bytes(16).toString('hex'),
    });
    await recordAuditEvent(ctx, tx, actor, {
      action: 'campaign.create',
      target: { type: 'campaign', id: created.id },
      campaignId: created.id,
      after: { name: created.name, status: created.status, votesPerComparison: created.votesPerComparison, design: created.design, pairing: created.pairing },
    });
    return created;
  });
  return toCampaignView(row);
}
