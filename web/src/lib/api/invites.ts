// Invitations and campaign membership (admin).
import {
  ZCampaignMemberSchema,
  ZCreateInviteResponseSchema,
  type TCampaignMember,
  type TCreateInviteRequest,
  type TCreateInviteResponse,
} from '$contract/auth';
import { apiRequest } from './client';

/** A single-use link; with `campaignId` the person who accepts it joins that campaign as a rater. */
export const createInvite = (body: TCreateInviteRequest): Promise<TCreateInviteResponse> =>
  apiRequest('POST', '/api/invites', ZCreateInviteResponseSchema, body);

export const addCampaignMember = (campaignId: string, userId: string): Promise<TCampaignMember> =>
  apiRequest('POST', `/api/campaigns/${encodeURIComponent(campaignId)}/members`, ZCampaignMemberSchema, { userId });
