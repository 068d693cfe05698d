// Resolvers for routes whose path does not name the campaign they act on (config.campaignOf in plugins/auth.ts).
import { campaignOfImport as selectCampaignOfImport } from '../../db/repositories/campaign-of';
import type { ServiceContext } from '../context';

export const campaignOfImport = (ctx: ServiceContext, params: Record<string, string>) => selectCampaignOfImport(ctx.db, params.id ?? '');
