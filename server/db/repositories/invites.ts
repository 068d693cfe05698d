// Invites: stored by the hash of their token, claimed once with a conditional update.
import type { Db } from '../handle';

export function createInvite(
  db: Db,
  data: { tokenHash: string; role: 'ADMIN' | 'RATER'; email: string | null; campaignId: string | null; createdById: string | null; createdAt: Date; expiresAt: Date },
) {
  return db.prisma.invite.create({ data, select: { id: true, expiresAt: true } });
}

export function findInviteByTokenHash(db: Db, tokenHash: string) {
  return db.prisma.invite.findUnique({
    where: { tokenHash },
    select: {
      id: true,
      role: true,
      email: true,
      campaignId: true,
      createdById: true,
      expiresAt: true,
      acceptedAt: true,
      campaign: { select: { name: true } },
    },
  });
}
export type InviteRow = NonNullable<Awaited<ReturnType<typeof findInviteByTokenHash>>>;

/** Marks the invite accepted if it still is open; false when another request got there first or it expired. */
export async function claimInvite(db: Db, id: string, now: Date): Promise<boolean> {
  const { count } = await db.prisma.invite.updateMany({ where: { id, acceptedAt: null, expiresAt: { gt: now } }, data: { acceptedAt: now } });
  return count === 1;
}

export async function setInviteAcceptedBy(db: Db, id: string, userId: string): Promise<void> {
  await db.prisma.invite.update({ where: { id }, data: { acceptedById: userId } });
}
