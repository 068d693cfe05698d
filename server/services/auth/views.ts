// Reply shapes of account rows: dates as ISO strings, never a hash.
import { TOKEN_SCOPES, type TApiToken, type TokenScope } from '../../contract/api-tokens';
import type { TUserListItem } from '../../contract/auth';
import type { ApiTokenRow } from '../../db/repositories/api-tokens';
import type { UserRow } from '../../db/repositories/users';

const isTokenScope = (s: string): s is TokenScope => (TOKEN_SCOPES as readonly string[]).includes(s);

/** The scopes of a stored token that this version knows (an unknown one grants nothing). */
export function tokenScopes(stored: string[]): TokenScope[] {
  return stored.filter(isTokenScope);
}

/** `campaignNames`: the names of the token's campaigns that still exist. */
export function toApiToken(row: ApiTokenRow, campaignNames: Map<string, string>): TApiToken {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt?.toISOString() ?? null,
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
    scopes: tokenScopes(row.scopes),
    campaigns: row.campaignIds.length === 0 ? null : row.campaignIds.map((id) => ({ id, name: campaignNames.get(id) ?? null })),
    owner: row.user,
  };
}

export function toUserListItem(row: UserRow): TUserListItem {
  return { id: row.id, email: row.email, name: row.name, role: row.role, active: row.active, createdAt: row.createdAt.toISOString() };
}
