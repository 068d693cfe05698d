// API tokens: scopes, requests and replies. Its own module so that the rater's first paint (which needs the session
// schemas of auth.ts) carries none of the admin-only token schemas (zod schema builders are not tree-shaken).
import { z } from 'zod';

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
