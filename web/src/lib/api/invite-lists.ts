// Invites by the list (admin): a bulk list into a campaign, the invites made (a campaign's or everyone's), revoking one.
import {
  ZBulkInviteResponseSchema,
  ZInviteListItemSchema,
  ZInvitePageSchema,
  type TBulkInviteRequest,
  type TBulkInviteResponse,
  type TInviteListItem,
  type TInvitePage,
} from '$contract/invites';
import { apiRequest } from './client';

export const createBulkInvites = (body: TBulkInviteRequest): Promise<TBulkInviteResponse> => apiRequest('POST', '/api/invites/bulk', ZBulkInviteResponseSchema, body);

export interface InviteListFilter {
  campaignId?: string;
  /** Used, expired and revoked ones too. */
  all?: boolean;
}

export function fetchInvitePage(filter: InviteListFilter, cursor: string | null): Promise<TInvitePage> {
  const query = new URLSearchParams({ state: filter.all ? 'all' : 'pending' });
  if (filter.campaignId) query.set('campaignId', filter.campaignId);
  if (cursor) query.set('cursor', cursor);
  return apiRequest('GET', `/api/invites?${query}`, ZInvitePageSchema);
}

export const revokeInvite = (id: string): Promise<TInviteListItem> => apiRequest('DELETE', `/api/invites/${encodeURIComponent(id)}`, ZInviteListItemSchema);
