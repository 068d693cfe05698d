// One campaign with its counts.
import type { TCampaign } from '../../contract/campaign';
import type { ServiceContext } from '../context';
import { requireCampaign, withCounts } from './campaign-view';

export async function getCampaign(ctx: ServiceContext, id: string): Promise<TCampaign> {
  return withCounts(ctx.db, await requireCampaign(ctx.db, id));
}
