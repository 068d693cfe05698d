// Looks up sessions and API tokens by the hash of their secret, with their user.
import type { PrismaClient } from '../database';

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
