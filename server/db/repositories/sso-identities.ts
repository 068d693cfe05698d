// Single sign-on: the provider accounts linked to users, and the open invites a first sign-in may take up.
import type { Db } from '../handle';

const userFields = { id: true, email: true, name: true, role: true, active: true } as const;

export function findSsoIdentity(db: Db, issuer: string, subject: string) {
  return db.prisma.ssoIdentity.findUnique({ where: { issuer_subject: { issuer, subject } }, select: { id: true, user: { select: userFields } } });
}

export async function createSsoIdentity(db: Db, data: { issuer: string; subject: string; userId: string; email: string; at: Date }): Promise<void> {
  const { at, ...rest } = data;
  await db.prisma.ssoIdentity.create({ data: { ...rest, createdAt: at, lastUsedAt: at } });
}

export async function touchSsoIdentity(db: Db, id: string, at: Date): Promise<void> {
  await db.prisma.ssoIdentity.update({ where: { id }, data: { lastUsedAt: at } });
}

/** Rater invites addressed to this email that are still open (admin invites are never taken up by a sign-in). */
export function listOpenRaterInvitesFor(db: Db, email: string, now: Date) {
  return db.prisma.invite.findMany({
    where: { email: { equals: email, mode: 'insensitive' }, role: 'RATER', acceptedAt: null, expiresAt: { gt: now } },
    select: { id: true, campaignId: true },
    orderBy: { createdAt: 'asc' },
  });
}
