// Password reset links: stored by the hash of their token, used once with a conditional update.
import type { Db } from '../handle';

export function insertPasswordReset(db: Db, data: { tokenHash: string; userId: string; createdById: string | null; createdAt: Date; expiresAt: Date }) {
  return db.prisma.passwordReset.create({ data, select: { id: true } });
}

export function findPasswordResetByTokenHash(db: Db, tokenHash: string) {
  return db.prisma.passwordReset.findUnique({
    where: { tokenHash },
    select: { id: true, userId: true, expiresAt: true, usedAt: true, user: { select: { email: true, active: true, role: true } } },
  });
}

/** Marks the link used if it still is open; false when another request got there first or it expired. */
export async function claimPasswordReset(db: Db, id: string, now: Date): Promise<boolean> {
  const { count } = await db.prisma.passwordReset.updateMany({ where: { id, usedAt: null, expiresAt: { gt: now } }, data: { usedAt: now } });
  return count === 1;
}

/** After a reset, or a change of password: the user's other open links stop working. */
export async function closePasswordResetsOf(db: Db, userId: string, now: Date): Promise<number> {
  return (await db.prisma.passwordReset.updateMany({ where: { userId, usedAt: null, expiresAt: { gt: now } }, data: { usedAt: now } })).count;
}

/** When the user last asked for a link by email (self-service ones have no creator); null if never since `after`. */
export async function lastEmailedResetSince(db: Db, userId: string, after: Date): Promise<Date | null> {
  const row = await db.prisma.passwordReset.findFirst({
    where: { userId, createdById: null, createdAt: { gt: after } },
    orderBy: { createdAt: 'desc' },
    select: { createdAt: true },
  });
  return row?.createdAt ?? null;
}
