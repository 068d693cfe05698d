// Campaign join links: the campaign's latest link, making one (closing the open one), and taking a use
// with one conditional UPDATE, so the cap holds however many people join at once.
import type { Db } from '../handle';
import { JOIN_LINK_SQL } from '../sql/join-links';

const linkFields = {
  id: true,
  campaignId: true,
  token: true,
  maxUses: true,
  uses: true,
  createdAt: true,
  expiresAt: true,
  revokedAt: true,
  replaced: true,
  createdBy: { select: { email: true } },
} as const;

export function findJoinLinkByToken(db: Db, token: string) {
  return db.prisma.campaignJoinLink.findUnique({ where: { token }, select: { ...linkFields, campaign: { select: { name: true } } } });
}
export type JoinLinkRow = NonNullable<Awaited<ReturnType<typeof findJoinLinkByToken>>>;

/** The campaign's most recent link, open or closed; null when none was ever made. */
export function findLatestJoinLink(db: Db, campaignId: string) {
  return db.prisma.campaignJoinLink.findFirst({ where: { campaignId }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], select: linkFields });
}

/** Closes the campaign's open link (revoked by hand, or replaced by a new one); the link as it was, or null when none was open. */
export async function closeOpenJoinLink(db: Db, campaignId: string, at: Date, replaced: boolean) {
  const open = await db.prisma.campaignJoinLink.findFirst({ where: { campaignId, revokedAt: null }, select: linkFields });
  if (!open) return null;
  const { count } = await db.prisma.campaignJoinLink.updateMany({ where: { id: open.id, revokedAt: null }, data: { revokedAt: at, replaced } });
  return count === 1 ? open : null;
}

export function insertJoinLink(db: Db, data: { campaignId: string; token: string; maxUses: number; createdById: string; createdAt: Date; expiresAt: Date }) {
  return db.prisma.campaignJoinLink.create({ data, select: linkFields });
}

/** Takes one use of the link (JOIN_LINK_SQL.takeUse); null when none was left, or the link closed or expired meanwhile. */
export async function takeJoinLinkUse(db: Db, id: string, now: Date): Promise<{ uses: number; maxUses: number } | null> {
  const rows = await db.sql.query<{ uses: number; maxUses: number }>(JOIN_LINK_SQL.takeUse, [id, now]);
  return rows[0] ?? null;
}
