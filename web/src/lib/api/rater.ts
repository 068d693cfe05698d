// The rater's loop: the campaign brief, the queue of leased comparisons, and what a rater does with one.
import {
  ZAssignmentQueueSchema,
  ZReleaseResponseSchema,
  ZSubmitJudgmentResponseSchema,
  ZUndoResponseSchema,
  type TAssignmentQueue,
  type TFlagRequest,
  type TReleaseResponse,
  type TSubmitJudgmentRequest,
  type TSubmitJudgmentResponse,
  type TUndoResponse,
} from '$contract/rater';
import { ZCampaignBriefSchema, type TCampaignBrief } from '$contract/rater-brief';
import { apiRequest, apiRequestOptional } from './client';

const campaignPath = (campaignId: string) => `/api/campaigns/${encodeURIComponent(campaignId)}`;
const assignmentPath = (assignmentId: string, action: string) => `/api/assignments/${encodeURIComponent(assignmentId)}/${action}`;

export const fetchBrief = (campaignId: string): Promise<TCampaignBrief> =>
  apiRequest('GET', `${campaignPath(campaignId)}/brief`, ZCampaignBriefSchema);

/** The comparison to show and the one leased ahead; null when nothing is left for this rater. */
export const fetchQueue = (campaignId: string): Promise<TAssignmentQueue | null> =>
  apiRequestOptional('GET', `${campaignPath(campaignId)}/assignments/next?prefetch=1`, ZAssignmentQueueSchema);

export const submitJudgment = (assignmentId: string, body: TSubmitJudgmentRequest): Promise<TSubmitJudgmentResponse> =>
  apiRequest('POST', assignmentPath(assignmentId, 'judgment'), ZSubmitJudgmentResponseSchema, body);

export const skipAssignment = (assignmentId: string): Promise<TReleaseResponse> =>
  apiRequest('POST', assignmentPath(assignmentId, 'skip'), ZReleaseResponseSchema);

export const flagAssignment = (assignmentId: string, body: TFlagRequest): Promise<TReleaseResponse> =>
  apiRequest('POST', assignmentPath(assignmentId, 'flag'), ZReleaseResponseSchema, body);

export const undoJudgment = (assignmentId: string): Promise<TUndoResponse> =>
  apiRequest('POST', assignmentPath(assignmentId, 'undo'), ZUndoResponseSchema);
