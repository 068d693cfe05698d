// The rater's loop: the campaign brief, the queue of leased comparisons, and what a rater does with one.
import {
  RATER_STOP_HEADER,
  ZAssignmentQueueSchema,
  ZRaterStopSchema,
  ZReleaseResponseSchema,
  ZSubmitJudgmentResponseSchema,
  ZUndoResponseSchema,
  type TAssignmentQueue,
  type TFlagRequest,
  type TRaterStop,
  type TReleaseResponse,
  type TSubmitJudgmentRequest,
  type TSubmitJudgmentResponse,
  type TUndoResponse,
} from '$contract/rater';
import { ZCampaignBriefSchema, type TCampaignBrief } from '$contract/rater-brief';
import { ApiError } from './api-error';
import { apiRequest, send, parse } from './client';

const campaignPath = (campaignId: string) => `/api/campaigns/${encodeURIComponent(campaignId)}`;
const assignmentPath = (assignmentId: string, action: string) => `/api/assignments/${encodeURIComponent(assignmentId)}/${action}`;

export const fetchBrief = (campaignId: string): Promise<TCampaignBrief> =>
  apiRequest('GET', `${campaignPath(campaignId)}/brief`, ZCampaignBriefSchema);

/** What the server says about the rater's queue: the leased comparisons, or why there are none. */
export interface QueueReply {
  queue: TAssignmentQueue | null;
  stop?: TRaterStop | undefined;
  retryAfterSeconds?: number | undefined;
}

/**
 * The comparison to show and the one leased ahead; when there is none, why (a 204 carries the reason in
 * a header; a campaign closed for rating answers 409 CAMPAIGN_NOT_ACTIVE, which is a reason too).
 */
export async function fetchQueue(campaignId: string): Promise<QueueReply> {
  let response: Response;
  try {
    response = await send('GET', `${campaignPath(campaignId)}/assignments/next?prefetch=1`);
  } catch (caught) {
    if (caught instanceof ApiError && caught.code === 'CAMPAIGN_NOT_ACTIVE') return { queue: null, stop: 'CAMPAIGN_NOT_ACTIVE' };
    throw caught;
  }
  if (response.status !== 204) return { queue: await parse(response, ZAssignmentQueueSchema) };
  const stop = ZRaterStopSchema.safeParse(response.headers.get(RATER_STOP_HEADER));
  const retryAfter = Number(response.headers.get('retry-after'));
  return {
    queue: null,
    ...(stop.success ? { stop: stop.data } : {}),
    ...(response.headers.has('retry-after') && Number.isFinite(retryAfter) ? { retryAfterSeconds: retryAfter } : {}),
  };
}

export const submitJudgment = (assignmentId: string, body: TSubmitJudgmentRequest): Promise<TSubmitJudgmentResponse> =>
  apiRequest('POST', assignmentPath(assignmentId, 'judgment'), ZSubmitJudgmentResponseSchema, body);

export const skipAssignment = (assignmentId: string): Promise<TReleaseResponse> =>
  apiRequest('POST', assignmentPath(assignmentId, 'skip'), ZReleaseResponseSchema);

export const flagAssignment = (assignmentId: string, body: TFlagRequest): Promise<TReleaseResponse> =>
  apiRequest('POST', assignmentPath(assignmentId, 'flag'), ZReleaseResponseSchema, body);

export const undoJudgment = (assignmentId: string): Promise<TUndoResponse> =>
  apiRequest('POST', assignmentPath(assignmentId, 'undo'), ZUndoResponseSchema);
