// Campaign stats for the admin dashboard, and excluding or re-including a rater.
import { ZCampaignSchema, type TCampaign } from '$contract/campaign';
import { ZCampaignStatsSchema, ZExclusionResponseSchema, type TCampaignStats, type TExclusionResponse, type TStatsQuery } from '$contract/stats';
import { apiRequest } from './client';

const campaignPath = (campaignId: string) => `/api/campaigns/${encodeURIComponent(campaignId)}`;

/** The campaign itself: its name and the criteria the dashboard can switch between. */
export const fetchStatsCampaign = (campaignId: string): Promise<TCampaign> => apiRequest('GET', campaignPath(campaignId), ZCampaignSchema);

export type StatsOptions = Partial<Pick<TStatsQuery, 'criterion' | 'bothBad' | 'rounds' | 'seed' | 'arm'>>;

export function fetchCampaignStats(campaignId: string, options: StatsOptions = {}): Promise<TCampaignStats> {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(options)) if (value !== undefined) query.set(name, String(value));
  const search = query.size > 0 ? `?${query}` : '';
  return apiRequest('GET', `${campaignPath(campaignId)}/stats${search}`, ZCampaignStatsSchema);
}

/** Excludes a rater (their judgments leave stats and exports, their comparisons reopen) or includes them again. */
export function setRaterExcluded(campaignId: string, raterId: string, excluded: boolean, reason?: string): Promise<TExclusionResponse> {
  const action = excluded ? 'exclude' : 'include';
  return apiRequest('POST', `${campaignPath(campaignId)}/raters/${encodeURIComponent(raterId)}/${action}`, ZExclusionResponseSchema, reason ? { reason } : {});
}
