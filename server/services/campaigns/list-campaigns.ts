// The campaigns, newest first, each with its counts; archived ones only when asked for.
import type { TCampaign } from '../../contract/campaign';
import { campaignCounts, findCampaigns } from '../../db/repositories/campaigns';
import type { ServiceContext } from '../context';
import { toCampaignView } from './campaign-view';

export async function listCampaigns(ctx: ServiceContext, options: { includeArchived: boolean }): Promise<TCampaign[]> {
  const rows = await findCampaigns(ctx.db, options);
  const counts = await campaignCounts(ctx.db, rows.map((r) => r.id));
  return rows.map((row) => toCampaignView(row, counts.get(row.id)));
}
