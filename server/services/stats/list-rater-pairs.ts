// GET /api/campaigns/:id/rater-pairs: Cohen's kappa of every pair of raters sharing enough comparisons
// (the dashboard shows each rater's mean of these; this is where to see who disagrees with whom).
import { ZTaskDesignSchema } from '../../contract/campaign';
import type { z } from 'zod';
import type { ZRaterPairSchema } from '../../contract/stats';
import { requireCampaign } from '../campaigns/campaign-view';
import type { ServiceContext } from '../context';
import { agreementPanel } from './agreement-panel';
import { readJudgmentTable } from './judgment-table';

type RaterPair = z.infer<typeof ZRaterPairSchema>;

export async function listRaterPairs(ctx: ServiceContext, campaignId: string): Promise<RaterPair[]> {
  const campaign = await requireCampaign(ctx.db, campaignId);
  const withStrength = ZTaskDesignSchema.parse(campaign.design).scale.strengthLevels.length > 0;
  const table = await readJudgmentTable(ctx.db, campaignId, null, ctx.clock.now());
  // Point values only: no bootstrap rounds.
  const { cohenPairs, weightedPairs } = await agreementPanel(table, { k: campaign.votesPerComparison, rounds: 0, seed: 1, withStrength });
  const weighted = new Map(weightedPairs.map((p) => [`${p.raterA}:${p.raterB}`, p.kappa]));
  const ref = (r: number) => ({ id: table.raters[r]!.id, name: table.raters[r]!.name });
  return cohenPairs
    .map((p) => ({
      raterA: ref(p.raterA),
      raterB: ref(p.raterB),
      overlap: p.overlap,
      kappa: p.kappa,
      ...(withStrength ? { weightedKappa: weighted.get(`${p.raterA}:${p.raterB}`) ?? null } : {}),
    }))
    .sort((x, y) => (x.kappa ?? Infinity) - (y.kappa ?? Infinity) || y.overlap - x.overlap || x.raterA.name.localeCompare(y.raterA.name));
}
