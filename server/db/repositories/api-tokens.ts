// Admin API tokens: stored by hash with a short prefix to recognise them in a list.
import type { Db } from '../handle';

const tokenFields = {
  id: true,
  name: true,
  prefix: true,
  createdAt: true,
  expiresAt: true,
  lastUsedAt: true,
  revokedAt: true,
  scopes: true,
  campaignIds: true,
  user: { select: { id: true, email: true } },
} as const;

export function createApiToken(
  db: Db,
  data: { name: string; tokenHash: string; prefix: string; userId: string; createdAt: Date; expiresAt: Date | null; scopes: string[]; campaignIds: string[] },
) {
  return db.prisma.apiToken.create({ data, select: tokenFields });
}
export type ApiTokenRow = Awaited<ReturnType<typeof createApiToken>>;

export function listApiTokens(db: Db) {
  return db.prisma.apiToken.findMany({ select: tokenFields, orderBy: [{ createdAt: 'desc' }, { id: 'asc' }] });
}

/** Revokes the token unless it already was; null when no such token exists. */
export async function revokeApiToken(db: Db, id: string, at: Date): Promise<ApiTokenRow | null> {
  await db.prisma.apiToken.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: at } });
  return db.prisma.apiToken.findUnique({ where: { id }, select: tokenFields });
}

/** Names of the campaigns among `ids` that exist (a token's list may name deleted ones). */
export async function campaignNames(db: Db, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.prisma.campaign.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } });
  return new Map(rows.map((r) => [r.id, r.name]));
}
