// Campaign join links: the admin's link (make, read, revoke) and what the join page asks and sends. Its
// own module, out of the rater's first paint.
import { z } from 'zod';
import { ZMeResponseSchema, ZPasswordSchema } from './auth';

/** POST /api/campaigns/:id/join-link: a new link, which replaces (closes) the campaign's open one. */
export const ZCreateJoinLinkRequestSchema = z.object({
  /** How many people may join through it. */
  maxUses: z.number().int().min(1).max(10_000),
  expiresInHours: z.number().int().min(1).max(24 * 90).default(24 * 7),
});
export type TCreateJoinLinkRequest = z.infer<typeof ZCreateJoinLinkRequestSchema>;

/** open: people can join; used-up, expired, revoked (by an admin) and replaced (by a newer link) cannot. */
export const ZJoinLinkStateSchema = z.enum(['open', 'used-up', 'expired', 'revoked', 'replaced']);
export type TJoinLinkState = z.infer<typeof ZJoinLinkStateSchema>;

/** A campaign's join link as admins see it: the link itself (copy it again at any time) and its counts. */
export const ZJoinLinkSchema = z.object({
  id: z.uuid(),
  url: z.string(),
  state: ZJoinLinkStateSchema,
  uses: z.number().int(),
  maxUses: z.number().int(),
  createdAt: z.iso.datetime(),
  expiresAt: z.iso.datetime(),
  revokedAt: z.iso.datetime().nullable(),
  createdBy: z.string().nullable(),
});
export type TJoinLink = z.infer<typeof ZJoinLinkSchema>;

/** The campaign's latest link, open or not (null: none was ever made). */
export const ZCampaignJoinLinkResponseSchema = z.object({ link: ZJoinLinkSchema.nullable() });
export type TCampaignJoinLinkResponse = z.infer<typeof ZCampaignJoinLinkResponseSchema>;

export const ZJoinTokenParamsSchema = z.object({ token: z.string().min(1).max(200) });

/** GET /api/join/:token: what the join page shows (a closed link answers 410 with the reason's code instead). */
export const ZJoinLinkInfoSchema = z.object({
  campaign: z.object({ name: z.string() }),
  expiresAt: z.iso.datetime(),
  usesLeft: z.number().int(),
});
export type TJoinLinkInfo = z.infer<typeof ZJoinLinkInfoSchema>;

/**
 * POST /api/join/:token. `new`: makes a rater account; `existing`: joins the account of this email after
 * its password. Never by email alone: a `new` request whose email has an account joins it only when the
 * password is that account's (the same person clicking twice), and is refused otherwise.
 */
export const ZJoinRequestSchema = z.discriminatedUnion('account', [
  z.object({
    account: z.literal('new'),
    name: z.string().trim().min(1, 'enter your name').max(200),
    email: z.email().max(320),
    password: ZPasswordSchema,
  }),
  z.object({
    account: z.literal('existing'),
    email: z.email().max(320),
    password: z.string().min(1, 'enter your password').max(1024),
  }),
]);
export type TJoinRequest = z.infer<typeof ZJoinRequestSchema>;

/** The joined user (logged in), and the campaign to go and rate. */
export const ZJoinResponseSchema = ZMeResponseSchema.extend({ campaignId: z.uuid() });
export type TJoinResponse = z.infer<typeof ZJoinResponseSchema>;
