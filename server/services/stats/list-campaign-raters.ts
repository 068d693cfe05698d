// GET /api/campaigns/:id/raters: the rater table alone (quality figures on the overall choice).
import type { TRaterStats } from '../../contract/stats';
import { requireCampaign, reviewThresholdsOf } from '../campaigns/campaign-view';
import type { ServiceContext } from '../context';
import { readJudgmentTable } from './judgment-table';
import { agreementPanel, withPairKappas } from './agreement-panel';
import { raterTable } from './rater-table';

export async function listCampaignRaters(ctx: ServiceContext, campaignId: string): Promise<TRaterStats[]> {
  const campaign = await requireCampaign(ctx.db, campaignId);
  const table = await readJudgmentTable(ctx.db, campaignId, null, ctx.clock.now());
  // The pairwise kappas without intervals: no bootstrap rounds.
  const agreement = agreementPanel(table, { k: campaign.votesPerComparison, rounds: 0, seed: 1, withStrength: false });
  agreement.catch(() => {});
  const raters = raterTable(table, campaign.seed, reviewThresholdsOf(campaign));
  return withPairKappas(raters, (await agreement).cohenPairs);
}
