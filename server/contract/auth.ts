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
  campaignName: z.string().nullable(),
  expiresAt: z.iso.datetime(),
  setup: z.boolean(),
});
export type TInviteInfo = z.infer<typeof ZInviteInfoSchema>;

export const ZInviteTokenParamsSchema = z.object({ token: z.string().min(1).max(200) });

/**
 * What an API token may do. `admin`: everything an admin may (the only scope that reaches accounts, tokens,
 * reviews, generation and the audit log). The others each open a family of campaign routes (the route says
 * which: `scope` in its config, enumerated by tests/integration/route-access.test.ts).
 */
export const TOKEN_SCOPES = ['export:read', 'stats:read', 'import:write', 'campaigns:write', 'admin'] as const;
export const ZTokenScopeSchema = z.enum(TOKEN_SCOPES);
export type TokenScope = z.infer<typeof ZTokenScopeSchema>;

export const ZCreateApiTokenRequestSchema = z
  .object({
    name: z.string().trim().min(1, 'name the token').max(100),
    /** Omitted: the token never expires (it can still be revoked). */
    expiresInDays: z.number().int().min(1).max(3650).optional(),
    /** Omitted: `["admin"]`, as tokens were before scopes. An empty list would make a token that can do nothing: refused. */
    scopes: z
      .array(ZTokenScopeSchema)
      .min(1, 'give the token at least one scope (or leave scopes out for an admin token)')
      .max(TOKEN_SCOPES.length)
      .refine((s) => new Set(s).size === s.length, 'list each scope once')
      .default(['admin']),
    /** Omitted: every campaign. The campaigns must exist. */
    campaignIds: z
      .array(z.uuid())
      .min(1, 'name at least one campaign, or leave campaignIds out for every campaign')
      .max(100)
      .refine((s) => new Set(s).size === s.length, 'list each campaign once')
      .optional(),
  })
  .refine((t) => !(t.campaignIds && t.scopes.includes('admin')), {
    path: ['campaignIds'],
    message: 'an admin token reaches every campaign; choose narrower scopes to limit it to campaigns',
  });
export type TCreateApiTokenRequest = z.infer<typeof ZCreateApiTokenRequestSchema>;
/** As a client sends it (scopes may be left out). */
export type TCreateApiTokenBody = z.input<typeof ZCreateApiTokenRequestSchema>;

export const ZApiTokenSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  prefix: z.string(),
  createdAt: z.iso.datetime(),
  expiresAt: z.iso.datetime().nullable(),
  lastUsedAt: z.iso.datetime().nullable(),
  revokedAt: z.iso.datetime().nullable(),
  scopes: z.array(ZTokenScopeSchema),
  /** null: every campaign. `name` is null for a campaign deleted since (the token reaches nothing there). */
  campaigns: z.array(z.object({ id: z.uuid(), name: z.string().nullable() })).nullable(),
  /** The admin whose token it is (any admin may list and revoke every token). */
  owner: z.object({ id: z.uuid(), email: z.string() }),
});
export type TApiToken = z.infer<typeof ZApiTokenSchema>;

/** `token` is shown this once; only its hash is stored. */
export const ZCreateApiTokenResponseSchema = z.object({ token: z.string(), apiToken: ZApiTokenSchema });
export type TCreateApiTokenResponse = z.infer<typeof ZCreateApiTokenResponseSchema>;

export const ZApiTokenListSchema = z.object({ tokens: z.array(ZApiTokenSchema) });

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
