// Campaign join links: the admin's link (read, make, revoke) and the join page's requests.
import {
  ZCampaignJoinLinkResponseSchema,
  ZJoinLinkInfoSchema,
  ZJoinResponseSchema,
  type TCreateJoinLinkRequest,
  type TJoinLink,
  type TJoinLinkInfo,
  type TJoinRequest,
  type TJoinResponse,
} from '$contract/join-links';
import { apiRequest } from './client';

const linkPath = (campaignId: string) => `/api/campaigns/${encodeURIComponent(campaignId)}/join-link`;
const joinPath = (token: string) => `/api/join/${encodeURIComponent(token)}`;

/** The campaign's latest link, open or not; null when none was made. */
export const fetchCampaignJoinLink = async (campaignId: string): Promise<TJoinLink | null> =>
  (await apiRequest('GET', linkPath(campaignId), ZCampaignJoinLinkResponseSchema)).link;

/** A new link; the open one stops working. */
export const createJoinLink = async (campaignId: string, body: TCreateJoinLinkRequest): Promise<TJoinLink | null> =>
  (await apiRequest('POST', linkPath(campaignId), ZCampaignJoinLinkResponseSchema, body)).link;

export const revokeJoinLink = async (campaignId: string): Promise<TJoinLink | null> =>
  (await apiRequest('DELETE', linkPath(campaignId), ZCampaignJoinLinkResponseSchema)).link;

export const fetchJoinLinkInfo = (token: string): Promise<TJoinLinkInfo> => apiRequest('GET', joinPath(token), ZJoinLinkInfoSchema);

/** Joins with a new account or an existing one and its password; logs in. */
export const joinCampaign = (token: string, body: TJoinRequest): Promise<TJoinResponse> => apiRequest('POST', joinPath(token), ZJoinResponseSchema, body);

/** A full navigation: the server sends the browser to the provider, and the sign-in joins the link's campaign. */
export const joinWithSsoUrl = (token: string): string =>
  `/api/auth/sso/start?next=${encodeURIComponent(`/join/${token}`)}&join=${encodeURIComponent(token)}`;
