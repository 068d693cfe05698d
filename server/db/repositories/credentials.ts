// Sessions and API tokens: looked up by the hash of their secret, with their user; created, touched, revoked.
import type { Role } from '../../contract/auth';
import type { Db } from '../handle';
import { ACCOUNT_SQL } from '../sql/accounts';

const userFields = { id: true, email: true, name: true, role: true, active: true } as const;

export interface SessionWithUser {
  id: string;
  expiresAt: Date;
  lastSeenAt: Date;
  revokedAt: Date | null;
  user: { id: string; email: string; name: string; role: Role; active: boolean };
}

/**
 * Runs on every authenticated request: from the instance's session cache when it holds the session
 * (session-cache.ts; no round trip), else straight to the driver (see sql-runner.ts), one round trip.
 */
export async function findSessionByTokenHash(db: Db, tokenHash: string, options: { fresh?: boolean } = {}): Promise<SessionWithUser | null> {
  const cache = db.sessions;
  const hit = options.fresh ? undefined : (cache?.get(tokenHash) as SessionWithUser | undefined);
  if (hit) return hit;
  const stamp = cache?.stamp() ?? 0;
  const rows = await db.sql.query<SessionWithUser>(ACCOUNT_SQL.sessionByTokenHash, [tokenHash]);
  const row = rows[0] ?? null;
  if (row && cache) cache.set(tokenHash, row.user.id, row, stamp);
  return row;
}

/**
 * Call after committing a revocation or deactivation: this instance forgets the cached sessions at once
 * (the NOTIFY sent by the same transaction reaches the other instances, and this one, a moment later).
 */
export function forgetCachedSessions(db: Db, which: { userId: string } | { tokenHash: string }): void {
  if ('userId' in which) db.sessions?.evictUser(which.userId);
  else db.sessions?.evictKey(which.tokenHash);
}

/** After touching a session: the cached copy carries the new lastSeenAt, so it is not touched again at once. */
export function noteSessionTouched(db: Db, tokenHash: string, at: Date): void {
  const hit = db.sessions?.get(tokenHash) as SessionWithUser | undefined;
  if (hit) hit.lastSeenAt = at;
}

/**
 * Deletes the sessions that can never be used again: expired, revoked, or idle past `idleBefore` (their
 * last use). Returns how many went.
 */
export async function deleteDeadSessions(db: Db, now: Date, idleBefore: Date): Promise<number> {
  const { count } = await db.prisma.session.deleteMany({
    where: { OR: [{ expiresAt: { lte: now } }, { revokedAt: { not: null } }, { lastSeenAt: { lte: idleBefore } }] },
  });
  return count;
}

export async function touchSession(db: Db, id: string, at: Date): Promise<void> {
  await db.prisma.session.update({ where: { id }, data: { lastSeenAt: at } });
}

export function findApiTokenByHash(db: Db, tokenHash: string) {
  return db.prisma.apiToken.findUnique({
    where: { tokenHash },
    select: { id: true, expiresAt: true, revokedAt: true, lastUsedAt: true, scopes: true, campaignIds: true, user: { select: userFields } },
  });
}

export async function touchApiToken(db: Db, id: string, at: Date): Promise<void> {
  await db.prisma.apiToken.update({ where: { id }, data: { lastUsedAt: at } });
}

export async function createSession(
  db: Db,
  data: { userId: string; tokenHash: string; createdAt: Date; expiresAt: Date; userAgent: string | null; ip: string | null },
): Promise<void> {
  await db.prisma.session.create({ data: { ...data, lastSeenAt: data.createdAt } });
}

export async function revokeSessionByTokenHash(db: Db, tokenHash: string, at: Date): Promise<void> {
  await db.prisma.session.updateMany({ where: { tokenHash, revokedAt: null }, data: { revokedAt: at } });
}

export async function revokeSession(db: Db, id: string, at: Date): Promise<void> {
  await db.prisma.session.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: at } });
}

/** Revokes the user's live sessions except `keepId` (the request's own); returns how many. */
export async function revokeSessionsOf(db: Db, userId: string, at: Date, keepId: string | null = null): Promise<number> {
  const where = keepId ? { userId, revokedAt: null, id: { not: keepId } } : { userId, revokedAt: null };
  return (await db.prisma.session.updateMany({ where, data: { revokedAt: at } })).count;
}

/** Revokes one live session if it is the user's; false when it is not theirs, not live, or unknown. */
export async function revokeSessionOf(db: Db, userId: string, id: string, at: Date): Promise<boolean> {
  return (await db.prisma.session.updateMany({ where: { id, userId, revokedAt: null }, data: { revokedAt: at } })).count === 1;
}

/** The user's sessions still usable at `now` (not revoked, not expired, used after `idleBefore`), last used first. */
export function listLiveSessionsOf(db: Db, userId: string, now: Date, idleBefore: Date) {
  return db.prisma.session.findMany({
    where: { userId, revokedAt: null, expiresAt: { gt: now }, lastSeenAt: { gt: idleBefore } },
    orderBy: [{ lastSeenAt: 'desc' }, { id: 'asc' }],
    select: { id: true, userAgent: true, ip: true, createdAt: true, lastSeenAt: true },
  });
}

/** Revokes every live API token of the user (demoted to rater); returns how many. */
export async function revokeApiTokensOf(db: Db, userId: string, at: Date): Promise<number> {
  return (await db.prisma.apiToken.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: at } })).count;
}

/** Revokes every live session and API token of the user (deactivation), so reactivating does not revive them. */
export async function revokeAllCredentials(db: Db, userId: string, at: Date): Promise<{ sessions: number; tokens: number }> {
  const sessions = await db.prisma.session.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: at } });
  const tokens = await db.prisma.apiToken.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: at } });
  return { sessions: sessions.count, tokens: tokens.count };
}
