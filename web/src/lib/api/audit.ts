// The audit trail (admin): one filtered page at a time, newest first.
import { ZAuditPageSchema, type TAuditPage } from '$contract/audit';
import { apiRequest } from './client';

export interface AuditFilters {
  actor?: string;
  action?: string;
  targetId?: string;
  from?: string;
  to?: string;
}

export function fetchAuditPage(filters: AuditFilters, cursor: string | null): Promise<TAuditPage> {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) if (value) query.set(key, value);
  if (cursor) query.set('cursor', cursor);
  return apiRequest('GET', `/api/audit?${query}`, ZAuditPageSchema);
}
