// Sessions and API tokens: looked up by the hash of their secret, with their user; created, touched, revoked.
import type { PrismaClient } from '../database';
import type { Db } from './users';

const userFields = { id: true, email: true, name: true, role: true, active: true } as const;

export function findSessionByTokenHash(prisma: PrismaClient, tokenHash: string) {
  return prisma.session.findUnique({
    where: { tokenHash },
    select: { id: true, expiresAt: true, lastSeenAt: true, revokedAt: true, user: { select: userFields } },
  });
}

export async function touchSession(prisma: PrismaClient, id: string, at: Date): Promise<void> {
  await prisma.session.update({ where: { id }, data: { lastSeenAt: at } });
}

export function findApiTokenByHash(prisma: PrismaClient, tokenHash: string) {
  return prisma.apiToken.findUnique({
    where: { tokenHash },
    select: { id: true, expiresAt: true, revokedAt: true, lastUsedAt: true, scopes: true, user: { select: userFields } },
  });
}

export async function touchApiToken(prisma: PrismaClient, id: string, at: Date): Promise<void> {
  await prisma.apiToken.update({ where: { id }, data: { lastUsedAt: at } });
}

export async function createSession(
  db: Db,
  data: { userId: string; tokenHash: string; createdAt: Date; expiresAt: Date; userAgent: string | null; ip: string | null },
): Promise<void> {
  await db.session.create({ data: { ...data, lastSeenAt: data.createdAt } });
}

export async function revokeSessionByTokenHash(db: Db, tokenHash: string, at: Date): Promise<void> {
  await db.session.updateMany({ where: { tokenHash, revokedAt: null }, data: { revokedAt: at } });
}

export async function revokeSession(db: Db, id: string, at: Date): Promise<void> {
  await db.session.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: at } });
}

/** Revokes every live session and API token of the user (deactivation), so reactivating does not revive them. */
export async function revokeAllCredentials(db: Db, userId: string, at: Date): Promise<{ sessions: number; tokens: number }> {
  const sessions = await db.session.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: at } });
  const tokens = await db.apiToken.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: at } });
  return { sessions: sessions.count, tokens: tokens.count };
}
