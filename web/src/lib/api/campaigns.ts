// Campaigns (admin): list, create, view with counts, edit.
import {
  ZCampaignListResponseSchema,
  ZCampaignSchema,
  ZUpdateCampaignResponseSchema,
  type TCampaign,
  type TCreateCampaignRequest,
  type TUpdateCampaignRequest,
  type TUpdateCampaignResponse,
} from '$contract/campaign';
import { apiRequest } from './client';

const campaignPath = (id: string) => `/api/campaigns/${encodeURIComponent(id)}`;

export const fetchCampaigns = async (): Promise<TCampaign[]> =>
  (await apiRequest('GET', '/api/campaigns', ZCampaignListResponseSchema)).campaigns;

export const fetchCampaign = (id: string): Promise<TCampaign> => apiRequest('GET', campaignPath(id), ZCampaignSchema);

export const createCampaign = (body: TCreateCampaignRequest): Promise<TCampaign> =>
  apiRequest('POST', '/api/campaigns', ZCampaignSchema, body);

/** The reply's `notes` say what the change did besides the fields (a new guideline version, re-targeted comparisons). */
export const updateCampaign = (id: string, body: TUpdateCampaignRequest): Promise<TUpdateCampaignResponse> =>
  apiRequest('PATCH', campaignPath(id), ZUpdateCampaignResponseSchema, body);
