// Invitations, campaign membership and campaign reviewers (admin).
import {
  ZCampaignMemberListSchema,
  ZCampaignMemberSchema,
  ZCreateInviteResponseSchema,
  type TCampaignMember,
  type TCampaignMemberListItem,
  type TCreateInviteRequest,
  type TCreateInviteResponse,
} from '$contract/auth';
import { ZCampaignReviewerListSchema, ZCampaignReviewerSchema, type TCampaignReviewer } from '$contract/team';
import { apiRequest, apiSend } from './client';

/** A single-use link; with `campaignId` the person who accepts it joins that campaign as a rater. */
export const createInvite = (body: TCreateInviteRequest): Promise<TCreateInviteResponse> =>
  apiRequest('POST', '/api/invites', ZCreateInviteResponseSchema, body);

export const addCampaignMember = (campaignId: string, userId: string): Promise<TCampaignMember> =>
  apiRequest('POST', `/api/campaigns/${encodeURIComponent(campaignId)}/members`, ZCampaignMemberSchema, { userId });

/** The campaign's raters in joining order. */
export const fetchCampaignMembers = async (campaignId: string): Promise<TCampaignMemberListItem[]> =>
  (await apiRequest('GET', `/api/campaigns/${encodeURIComponent(campaignId)}/members`, ZCampaignMemberListSchema)).members;

const reviewersPath = (campaignId: string) => `/api/campaigns/${encodeURIComponent(campaignId)}/reviewers`;

export const fetchCampaignReviewers = async (campaignId: string): Promise<TCampaignReviewer[]> =>
  (await apiRequest('GET', reviewersPath(campaignId), ZCampaignReviewerListSchema)).reviewers;

/** Adds the reviewer, or changes whether they may export. */
export const setCampaignReviewer = (campaignId: string, userId: string, canExport: boolean): Promise<TCampaignReviewer> =>
  apiRequest('POST', reviewersPath(campaignId), ZCampaignReviewerSchema, { userId, canExport });

export const removeCampaignReviewer = (campaignId: string, userId: string): Promise<void> =>
  apiSend('DELETE', `${reviewersPath(campaignId)}/${encodeURIComponent(userId)}`);
