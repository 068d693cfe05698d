// Campaigns (admin).
import { ZCampaignListResponseSchema, type TCampaign } from '$contract/campaign';
import { apiRequest } from './client';

export const fetchCampaigns = async (): Promise<TCampaign[]> =>
  (await apiRequest('GET', '/api/campaigns', ZCampaignListResponseSchema)).campaigns;
