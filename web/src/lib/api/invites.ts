// Invitations and campaign membership (admin).
import {
  ZCampaignMemberListSchema,
  ZCampaignMemberSchema,
  ZCreateInviteResponseSchema,
  type TCampaignMember,
  type TCampaignMemberListItem,
  type TCreateInviteRequest,
  type TCreateInviteResponse,
} from '$contract/auth';
import { apiRequest } from './client';

/** A single-use link; with `campaignId` the person who accepts it joins that campaign as a rater. */
export const createInvite = (body: TCreateInviteRequest): Promise<TCreateInviteResponse> =>
  apiRequest('POST', '/api/invites', ZCreateInviteResponseSchema, body);

export const addCampaignMember = (campaignId: string, userId: string): Promise<TCampaignMember> =>
  apiRequest('POST', `/api/campaigns/${encodeURIComponent(campaignId)}/members`, ZCampaignMemberSchema, { userId });

/** The campaign's raters in joining order. */
export const fetchCampaignMembers = async (campaignId: string): Promise<TCampaignMemberListItem[]> =>
  (await apiRequest('GET', `/api/campaigns/${encodeURIComponent(campaignId)}/members`, ZCampaignMemberListSchema)).members;
