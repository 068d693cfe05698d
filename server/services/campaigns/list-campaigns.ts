// Every campaign, newest first, each with its counts.
import type { TCampaign } from '../../contract/campaign';
import { campaignCounts, findCampaigns } from '../../db/repositories/campaigns';
import type { ServiceContext } from '../context';
import { toCampaignView } from './campaign-view';

export async function listCampaigns(ctx: ServiceContext): Promise<TCampaign[]> {
  const rows = await findCampaigns(ctx.db.prisma);
  const counts = await campaignCounts(ctx.db.prisma, rows.map((r) => r.id));
  return rows.map((row) => toCampaignView(row, counts.get(row.id)));
}
