// Bulk invites and the list of invites (admin): request and reply schemas. Its own module, out of the rater's first paint.
import { z } from 'zod';

/** The most lines one bulk request invites: a bigger list is refused whole (413), to be sent in parts. */
export const BULK_INVITE_MAX_LINES = 1000;

const ZBulkEmailSchema = z.string().max(320);

/**
 * One rater invite per person into the campaign: `emails` (one per line of a pasted list) or `people`
 * (rows of a CSV with email and name; the name prefills the invitee's account form). Errors name the
 * 1-based `line` of the list (a person's own `line`, or the index in the array plus one); the rest are created. The arrays are not
 * bounded here: the service refuses more than BULK_INVITE_MAX_LINES with a message that says what to do.
 */
export const ZBulkInviteRequestSchema = z
  .object({
    campaignId: z.uuid(),
    emails: z.array(ZBulkEmailSchema).min(1).optional(),
    people: z
      .array(
        z.object({
          email: ZBulkEmailSchema,
          name: z.string().trim().max(200).optional(),
          /** The person's line in the admin's own file (past a header or blank lines): errors name it instead of the position. */
          line: z.number().int().min(1).optional(),
        }),
      )
      .min(1)
      .optional(),
    expiresInHours: z.number().int().min(1).max(24 * 90).default(72),
  })
  .refine((r) => (r.emails === undefined) !== (r.people === undefined), { message: 'send either emails or people, not both', path: ['emails'] });
export type TBulkInviteRequest = z.infer<typeof ZBulkInviteRequestSchema>;

export const ZBulkInviteResponseSchema = z.object({
  invites: z.array(z.object({ line: z.number().int(), email: z.string(), name: z.string().nullable(), url: z.string(), token: z.string(), expiresAt: z.iso.datetime() })),
  /** Lines not invited, in line order: not an email, repeated in the list, already a rater or reviewer of the campaign, or invited already (a pending invite). */
  errors: z.array(z.object({ line: z.number().int(), message: z.string() })),
});
export type TBulkInviteResponse = z.infer<typeof ZBulkInviteResponseSchema>;
export type TBulkInviteLink = TBulkInviteResponse['invites'][number];

/** Where an invite stands: open (may still be accepted), used, past its expiry, or revoked by an admin. */
export const ZInviteStateSchema = z.enum(['PENDING', 'USED', 'EXPIRED', 'REVOKED']);
export type TInviteState = z.infer<typeof ZInviteStateSchema>;

/** Filters of the invite list, newest first in keyset pages: `cursor` is the previous page's `nextCursor`. */
export const ZInviteListQuerySchema = z.object({
  campaignId: z.uuid('campaignId must be a campaign id (a UUID)').optional(),
  /** `pending` (default): invites that can still be accepted; `all`: every state. */
  state: z.enum(['pending', 'all']).default('pending'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z
    .string()
    .regex(/^\d{1,15}_[0-9a-f-]{36}$/, 'cursor must be the nextCursor of the previous page')
    .optional(),
});
export type TInviteListQuery = z.infer<typeof ZInviteListQuerySchema>;

/** An invite as admins see it (never its token: only its hash is stored). */
export const ZInviteListItemSchema = z.object({
  id: z.uuid(),
  role: z.enum(['ADMIN', 'RATER']),
  /** null: anyone holding the link may accept it. */
  email: z.string().nullable(),
  name: z.string().nullable(),
  campaign: z.object({ id: z.uuid(), name: z.string() }).nullable(),
  /** Who made it; null when that account is gone. */
  createdBy: z.object({ id: z.uuid(), email: z.string(), name: z.string() }).nullable(),
  createdAt: z.iso.datetime(),
  expiresAt: z.iso.datetime(),
  state: ZInviteStateSchema,
  /** An invite works once: uses is 0 or 1 of maxUses 1. */
  uses: z.number().int(),
  maxUses: z.number().int(),
  acceptedAt: z.iso.datetime().nullable(),
  acceptedBy: z.object({ id: z.uuid(), email: z.string() }).nullable(),
  revokedAt: z.iso.datetime().nullable(),
});
export type TInviteListItem = z.infer<typeof ZInviteListItemSchema>;

export const ZInvitePageSchema = z.object({
  items: z.array(ZInviteListItemSchema),
  /** Pass as `cursor` for the next (older) page; null on the last page. */
  nextCursor: z.string().nullable(),
});
export type TInvitePage = z.infer<typeof ZInvitePageSchema>;
