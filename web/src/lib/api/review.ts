// Review (admin): the comparisons explorer, one comparison, the flag queue and the review actions.
import type { z } from 'zod';
import {
  ZAdjudicationResponseSchema,
  ZBrokenResponseSchema,
  ZComparisonDetailSchema,
  ZComparisonListSchema,
  ZFlagActionResponseSchema,
  ZFlagQueueSchema,
  ZRemovalResponseSchema,
  type TCanonicalChoice,
  type TComparisonDetail,
  type TComparisonList,
  type TFlagQueue,
} from '$contract/review';
import { apiRequest } from './client';

const campaignPath = (campaignId: string) => `/api/campaigns/${encodeURIComponent(campaignId)}`;

/** The explorer's query as the URL carries it (filter name -> value); empty values are left out. */
export type ExplorerQuery = Record<string, string>;

export function fetchComparisonPage(campaignId: string, query: ExplorerQuery, cursor: string | null): Promise<TComparisonList> {
  const search = new URLSearchParams(Object.entries(query).filter(([, value]) => value !== ''));
  if (cursor) search.set('cursor', cursor);
  return apiRequest('GET', `${campaignPath(campaignId)}/comparisons?${search}`, ZComparisonListSchema);
}

export const fetchComparison = (comparisonId: number): Promise<TComparisonDetail> =>
  apiRequest('GET', `/api/comparisons/${comparisonId}`, ZComparisonDetailSchema);

export function fetchFlagPage(campaignId: string, query: { reason?: string; state?: string }, cursor: string | null): Promise<TFlagQueue> {
  const search = new URLSearchParams(Object.entries(query).filter((entry): entry is [string, string] => Boolean(entry[1])));
  if (cursor) search.set('cursor', cursor);
  return apiRequest('GET', `${campaignPath(campaignId)}/flags?${search}`, ZFlagQueueSchema);
}

/** Every reversible review action, by what it acts on; each takes the reason recorded in the audit trail. */
export const REVIEW_ACTION_PATHS = {
  dismissFlag: (id: number) => `/api/flags/${id}/dismiss`,
  reopenFlag: (id: number) => `/api/flags/${id}/reopen`,
  removeComparison: (id: number) => `/api/comparisons/${id}/remove`,
  restoreComparison: (id: number) => `/api/comparisons/${id}/restore`,
  markBroken: (id: number) => `/api/responses/${id}/mark-broken`,
  unmarkBroken: (id: number) => `/api/responses/${id}/unmark-broken`,
} as const;
export type ReviewActionName = keyof typeof REVIEW_ACTION_PATHS;

const ACTION_REPLIES: Record<ReviewActionName, z.ZodType> = {
  dismissFlag: ZFlagActionResponseSchema,
  reopenFlag: ZFlagActionResponseSchema,
  removeComparison: ZRemovalResponseSchema,
  restoreComparison: ZRemovalResponseSchema,
  markBroken: ZBrokenResponseSchema,
  unmarkBroken: ZBrokenResponseSchema,
};

export async function runReviewAction(action: ReviewActionName, id: number, reason: string): Promise<void> {
  await apiRequest('POST', REVIEW_ACTION_PATHS[action](id), ACTION_REPLIES[action], reason.trim() ? { reason: reason.trim() } : {});
}

export function adjudicate(comparisonId: number, choice: TCanonicalChoice, note: string) {
  const body = note.trim() ? { choice, note: note.trim() } : { choice };
  return apiRequest('POST', `/api/comparisons/${comparisonId}/adjudicate`, ZAdjudicationResponseSchema, body);
}

export function withdrawAdjudication(comparisonId: number, reason: string) {
  return apiRequest('POST', `/api/comparisons/${comparisonId}/withdraw-adjudication`, ZAdjudicationResponseSchema, reason.trim() ? { reason: reason.trim() } : {});
}
