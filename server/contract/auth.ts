// Accounts, sessions, invites and API tokens: request and reply schemas shared by routes, docs and web.
import { z } from 'zod';

export const ZRoleSchema = z.enum(['ADMIN', 'RATER']);
export type Role = z.infer<typeof ZRoleSchema>;

export const ZUserSchema = z.object({
  id: z.uuid(),
  email: z.string(),
  name: z.string(),
  role: ZRoleSchema,
});
export type TUser = z.infer<typeof ZUserSchema>;

export const ZLoginRequestSchema = z.object({
  email: z.string().trim().min(1, 'enter your email').max(320),
  password: z.string().min(1, 'enter your password').max(1024),
});
export type TLoginRequest = z.infer<typeof ZLoginRequestSchema>;

/** A campaign the user may rate, as shown on their home page. */
export const ZRatableCampaignSchema = z.object({
  id: z.uuid(),
  name: z.string(),
});


export const ZMeResponseSchema = z.object({
  user: ZUserSchema,
  campaigns: z.array(ZRatableCampaignSchema),
  /** Campaigns the user reviews (never one they rate); empty for admins, who review every campaign. */
  reviews: z.array(ZRatableCampaignSchema.extend({ canExport: z.boolean() })).default([]),
});
export type TMeResponse = z.infer<typeof ZMeResponseSchema>;

export const ZPasswordSchema = z.string().min(12, 'use at least 12 characters').max(1024);

/**
 * Accepting an invite. `email` is needed when the invite names none (the setup link, open rater links).
 * When an account with that email already exists, `password` must be its password: the account then
 * joins the invite's campaign (and becomes an admin if the invite is for an admin); `name` is ignored.
 */
export const ZAcceptInviteRequestSchema = z.object({
  name: z.string().trim().min(1, 'enter your name').max(200),
  email: z.email().max(320).optional(),
  password: ZPasswordSchema,
});
export type TAcceptInviteRequest = z.infer<typeof ZAcceptInviteRequestSchema>;

export const ZCreateInviteRequestSchema = z.object({
  role: ZRoleSchema.default('RATER'),
  email: z.email().optional(),
  campaignId: z.uuid().optional(),
  expiresInHours: z.number().int().min(1).max(24 * 90).default(72),
});
export type TCreateInviteRequest = z.infer<typeof ZCreateInviteRequestSchema>;

export const ZCreateInviteResponseSchema = z.object({
  url: z.string(),
  token: z.string(),
  expiresAt: z.iso.datetime(),
});
export type TCreateInviteResponse = z.infer<typeof ZCreateInviteResponseSchema>;

/** What an invite link shows before it is accepted. `setup`: the first-admin link printed at first start. */
export const ZInviteInfoSchema = z.object({
  role: ZRoleSchema,
  email: z.string().nullable(),
  /** The invitee's name as the admin gave it (bulk invites from a CSV): prefills the form; null when none. */
  name: z.string().nullable(),
  campaignName: z.string().nullable(),
  expiresAt: z.iso.datetime(),
  setup: z.boolean(),
});
export type TInviteInfo = z.infer<typeof ZInviteInfoSchema>;

export const ZInviteTokenParamsSchema = z.object({ token: z.string().min(1).max(200) });

export const ZUserListItemSchema = ZUserSchema.extend({ active: z.boolean(), createdAt: z.iso.datetime() });
export type TUserListItem = z.infer<typeof ZUserListItemSchema>;

export const ZUserListSchema = z.object({ users: z.array(ZUserListItemSchema) });


export const ZIdParamsSchema = z.object({ id: z.uuid() });

export const ZAddCampaignMemberRequestSchema = z.object({ userId: z.uuid() });

export const ZCampaignMemberSchema = z.object({
  campaignId: z.uuid(),
  userId: z.uuid(),
  joinedAt: z.iso.datetime(),
  excluded: z.boolean(),
});
export type TCampaignMember = z.infer<typeof ZCampaignMemberSchema>;

/** A rater of a campaign as listed for admins; `excluded`: their judgments are left out of exports (set on the stats page). */
export const ZCampaignMemberListItemSchema = z.object({
  userId: z.uuid(),
  email: z.string(),
  name: z.string(),
  role: ZRoleSchema,
  /** False: the account is deactivated and cannot log in. */
  active: z.boolean(),
  excluded: z.boolean(),
  joinedAt: z.iso.datetime(),
});
export type TCampaignMemberListItem = z.infer<typeof ZCampaignMemberListItemSchema>;

export const ZCampaignMemberListSchema = z.object({ members: z.array(ZCampaignMemberListItemSchema) });
