// Bulk invites (admin): request and reply schemas. Its own module, out of the rater's first paint.
import { z } from 'zod';

const ZBulkEmailSchema = z.string().max(320);

/**
 * One rater invite per person into the campaign: `emails` (one per line of a pasted list) or `people`
 * (rows of a CSV with email and name). Errors name the 1-based `line` of the list; the rest are created.
 */
export const ZBulkInviteRequestSchema = z
  .object({
    campaignId: z.uuid(),
    emails: z.array(ZBulkEmailSchema).min(1).max(1000).optional(),
    people: z.array(z.object({ email: ZBulkEmailSchema, name: z.string().trim().max(200).optional() })).min(1).max(1000).optional(),
    expiresInHours: z.number().int().min(1).max(24 * 90).default(72),
  })
  .refine((r) => (r.emails === undefined) !== (r.people === undefined), { message: 'send either emails or people, not both', path: ['emails'] });
export type TBulkInviteRequest = z.infer<typeof ZBulkInviteRequestSchema>;

export const ZBulkInviteResponseSchema = z.object({
  invites: z.array(z.object({ line: z.number().int(), email: z.string(), name: z.string().nullable(), url: z.string(), token: z.string(), expiresAt: z.iso.datetime() })),
  errors: z.array(z.object({ line: z.number().int(), message: z.string() })),
});
export type TBulkInviteResponse = z.infer<typeof ZBulkInviteResponseSchema>;
