// The audit trail: who changed what, when, on which target, with a before/after summary (never secrets).
import { z } from 'zod';

/** `system` for what the server does on its own; otherwise a user's id. */
export const SYSTEM_ACTOR = 'system';

export const ZAuditEventSchema = z.object({
  /** A decimal string: the id is a 64-bit sequence. */
  id: z.string(),
  at: z.iso.datetime(),
  actor: z.string(),
  actorEmail: z.string().nullable(),
  /** `session`, `token:<api token id>`, `reset-link` (someone who used a password reset link), `invite-link` (someone who accepted an invite) or `system`. */
  via: z.string(),
  /** area.verb, e.g. campaign.create, campaign.status, import.publish, export.download, token.revoke. */
  action: z.string(),
  targetType: z.string(),
  targetId: z.string(),
  campaignId: z.uuid().nullable(),
  before: z.unknown().nullable(),
  after: z.unknown().nullable(),
});
export type TAuditEvent = z.infer<typeof ZAuditEventSchema>;

const ZTrimmedTextSchema = z.string().trim().min(1).max(200);

/** Filters (all optional, combined with AND), newest first, `limit` per page, `cursor` from the previous page. */
export const ZAuditQuerySchema = z
  .object({
    actor: ZTrimmedTextSchema.optional().describe('a user id, or "system"'),
    action: ZTrimmedTextSchema.optional().describe('an exact action (campaign.update) or an area followed by a dot (campaign.)'),
    targetType: ZTrimmedTextSchema.optional(),
    targetId: ZTrimmedTextSchema.optional(),
    campaignId: z.uuid('campaignId must be a campaign id (a UUID)').optional(),
    from: z.iso.datetime({ offset: true, message: 'from must be an ISO date-time, e.g. 2026-12-01T00:00:00Z' }).optional(),
    to: z.iso.datetime({ offset: true, message: 'to must be an ISO date-time, e.g. 2026-12-31T23:59:59Z' }).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
    cursor: z.string().regex(/^\d{1,19}$/, 'cursor must be the nextCursor of the previous page').optional(),
  })
  .refine((q) => !q.from || !q.to || Date.parse(q.from) <= Date.parse(q.to), { message: 'from must not be after to', path: ['from'] });
export type TAuditQuery = z.infer<typeof ZAuditQuerySchema>;

export const ZAuditPageSchema = z.object({
  items: z.array(ZAuditEventSchema),
  /** Pass as `cursor` for the next (older) page; null on the last page. */
  nextCursor: z.string().nullable(),
});
export type TAuditPage = z.infer<typeof ZAuditPageSchema>;
