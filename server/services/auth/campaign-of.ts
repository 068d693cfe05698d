// Resolvers for routes whose path does not name the campaign they act on (config.campaignOf in plugins/auth.ts).
import { campaignOfRow, campaignOfImport as selectCampaignOfImport } from '../../db/repositories/campaign-of';
import type { ServiceContext } from '../context';

export const campaignOfImport = (ctx: ServiceContext, params: Record<string, string>) => selectCampaignOfImport(ctx.db, params.id ?? '');

/** The review routes: /api/campaigns/:id/..., /api/comparisons/:id..., /api/flags/:id/..., /api/responses/:id/... */
export async function campaignOfReviewTarget(ctx: ServiceContext, params: Record<string, string>, routeUrl: string): Promise<string | null> {
  const id = params.id ?? '';
  const area = routeUrl.split('/')[2];
  if (area === 'campaigns') return id;
  if (area === 'comparisons') return campaignOfRow(ctx.db, 'comparison', id);
  if (area === 'flags') return campaignOfRow(ctx.db, 'flag', id);
  if (area === 'responses') return campaignOfRow(ctx.db, 'response', id);
  return null;
}
