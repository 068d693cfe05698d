// Reply shapes of account rows: dates as ISO strings, never a hash.
import type { TApiToken, TUserListItem } from '../../contract/auth';
import type { ApiTokenRow } from '../../db/repositories/api-tokens';
import type { UserRow } from '../../db/repositories/users';

export function toApiToken(row: ApiTokenRow): TApiToken {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt?.toISOString() ?? null,
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
    owner: row.user,
  };
}

export function toUserListItem(row: UserRow): TUserListItem {
  return { id: row.id, email: row.email, name: row.name, role: row.role, active: row.active, createdAt: row.createdAt.toISOString() };
}
