// Invites: stored by the hash of their token, claimed once with a conditional update, revoked the same way;
// listed newest first in keyset pages.
import type { Db } from '../handle';

export interface NewInvite {
  tokenHash: string;
  role: 'ADMIN' | 'RATER';
  email: string | null;
  name?: string | null;
  campaignId: string | null;
  createdById: string | null;
  createdAt: Date;
  expiresAt: Date;
}

export function createInvite(db: Db, data: NewInvite) {
  return db.prisma.invite.create({ data, select: { id: true, expiresAt: true } });
}

/** Inserts many invites in one statement; their ids in the order given. */
export async function createInvites(db: Db, data: NewInvite[]): Promise<string[]> {
  const rows = await db.prisma.invite.createManyAndReturn({ data, select: { id: true, tokenHash: true } });
  const ids = new Map(rows.map((row) => [row.tokenHash, row.id]));
  return data.map((invite) => ids.get(invite.tokenHash)!);
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
      name: true,
      expiresAt: true,
      acceptedAt: true,
      revokedAt: true,
      campaign: { select: { name: true } },
    },
  });
}
export type InviteRow = NonNullable<Awaited<ReturnType<typeof findInviteByTokenHash>>>;

/** Marks the invite accepted if it still is open; false when another request got there first, it expired or was revoked. */
export async function claimInvite(db: Db, id: string, now: Date): Promise<boolean> {
  const { count } = await db.prisma.invite.updateMany({ where: { id, acceptedAt: null, revokedAt: null, expiresAt: { gt: now } }, data: { acceptedAt: now } });
  return count === 1;
}

export async function setInviteAcceptedBy(db: Db, id: string, userId: string): Promise<void> {
  await db.prisma.invite.update({ where: { id }, data: { acceptedById: userId } });
}

/** What the invite list shows of an invite. */
const LIST_SELECT = {
  id: true,
  role: true,
  email: true,
  name: true,
  createdAt: true,
  expiresAt: true,
  acceptedAt: true,
  revokedAt: true,
  campaign: { select: { id: true, name: true } },
  createdBy: { select: { id: true, email: true, name: true } },
  acceptedBy: { select: { id: true, email: true } },
} as const;

/** Revokes the invite unless it was used or revoked already; `revoked`: this call did; `row`: the invite now (null: no such invite). */
export async function revokeInvite(db: Db, id: string, byUserId: string, now: Date) {
  const { count } = await db.prisma.invite.updateMany({ where: { id, acceptedAt: null, revokedAt: null }, data: { revokedAt: now, revokedById: byUserId } });
  return { revoked: count === 1, row: await db.prisma.invite.findUnique({ where: { id }, select: LIST_SELECT }) };
}

/** Of these emails, the ones with an open invite (not used, revoked or expired) into the campaign. */
export async function emailsWithOpenInvite(db: Db, campaignId: string, emails: string[], now: Date): Promise<Set<string>> {
  const rows = await db.prisma.invite.findMany({
    where: { campaignId, email: { in: emails }, acceptedAt: null, revokedAt: null, expiresAt: { gt: now } },
    select: { email: true },
  });
  return new Set(rows.map((row) => row.email!));
}

/** Of these emails, the accounts that rate (`rater`) or review (`reviewer`) the campaign. */
export async function emailsInCampaign(db: Db, campaignId: string, emails: string[]): Promise<Map<string, 'rater' | 'reviewer'>> {
  const users = await db.prisma.user.findMany({
    where: { email: { in: emails }, OR: [{ memberships: { some: { campaignId } } }, { reviews: { some: { campaignId } } }] },
    select: { email: true, memberships: { where: { campaignId }, select: { userId: true } } },
  });
  return new Map(users.map((user) => [user.email, user.memberships.length > 0 ? 'rater' : 'reviewer']));
}

export interface InviteFilter {
  campaignId?: string;
  /** Only those that can still be accepted at `now`. */
  openAt?: Date;
  /** Only invites older than the previous page's last (createdAt, id). */
  after?: { createdAt: Date; id: string };
  limit: number;
}

/** Invites newest first (the setup link printed at first start is not one an admin made: left out). */
export function listInvites(db: Db, f: InviteFilter) {
  return db.prisma.invite.findMany({
    where: {
      campaignId: f.campaignId,
      NOT: { createdById: null, role: 'ADMIN' },
      ...(f.openAt ? { acceptedAt: null, revokedAt: null, expiresAt: { gt: f.openAt } } : {}),
      ...(f.after ? { OR: [{ createdAt: { lt: f.after.createdAt } }, { createdAt: f.after.createdAt, id: { lt: f.after.id } }] } : {}),
    },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: f.limit,
    select: LIST_SELECT,
  });
}
export type InviteListRow = Awaited<ReturnType<typeof listInvites>>[number];
