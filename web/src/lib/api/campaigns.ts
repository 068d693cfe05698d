// Campaigns (admin): list, create, view with counts, edit, delete.
import {
  ZCampaignListResponseSchema,
  ZCampaignSchema,
  ZUpdateCampaignResponseSchema,
  type TCampaign,
  type TCreateCampaignRequest,
  type TUpdateCampaignRequest,
  type TUpdateCampaignResponse,
} from '$contract/campaign';
import { apiRequest, apiSend } from './client';

const campaignPath = (id: string) => `/api/campaigns/${encodeURIComponent(id)}`;

/** Archived campaigns only when asked for. */
export const fetchCampaigns = async (options: { archived?: boolean } = {}): Promise<TCampaign[]> =>
  (await apiRequest('GET', `/api/campaigns${options.archived ? '?archived=true' : ''}`, ZCampaignListResponseSchema)).campaigns;

export const fetchCampaign = (id: string): Promise<TCampaign> => apiRequest('GET', campaignPath(id), ZCampaignSchema);

export const createCampaign = (body: TCreateCampaignRequest): Promise<TCampaign> =>
  apiRequest('POST', '/api/campaigns', ZCampaignSchema, body);

/** The reply's `notes` say what the change did besides the fields (a new guideline version, re-targeted comparisons). */
export const updateCampaign = (id: string, body: TUpdateCampaignRequest): Promise<TUpdateCampaignResponse> =>
  apiRequest('PATCH', campaignPath(id), ZUpdateCampaignResponseSchema, body);

/** Draft or archived campaigns only; resolves once every row of it is gone. */
export const deleteCampaign = (id: string): Promise<void> => apiSend('DELETE', campaignPath(id));
