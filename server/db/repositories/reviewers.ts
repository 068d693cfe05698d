// Campaign reviewers: who may look into a campaign's data (explorer, flags, adjudication) and, if allowed,
// export it. A reviewer is never a rater of the same campaign (a trigger guards it, migration reviewer_role).
import type { Db } from '../handle';

const userFields = { id: true, email: true, name: true, role: true, active: true } as const;

export function findReviewer(db: Db, campaignId: string, userId: string) {
  return db.prisma.campaignReviewer.findUnique({ where: { campaignId_userId: { campaignId, userId } }, select: { canExport: true, addedAt: true } });
}

/** Adds the reviewer or changes whether they may export; the row as it was before (null: new). */
export async function upsertReviewer(db: Db, campaignId: string, userId: string, canExport: boolean, at: Date) {
  const before = await findReviewer(db, campaignId, userId);
  const row = await db.prisma.campaignReviewer.upsert({
    where: { campaignId_userId: { campaignId, userId } },
    create: { campaignId, userId, canExport, addedAt: at },
    update: { canExport },
    select: { canExport: true, addedAt: true },
  });
  return { before, row };
}

/** Removes the reviewer; false when they were none. */
export async function deleteReviewer(db: Db, campaignId: string, userId: string): Promise<boolean> {
  return (await db.prisma.campaignReviewer.deleteMany({ where: { campaignId, userId } })).count > 0;
}

export function listReviewers(db: Db, campaignId: string) {
  return db.prisma.campaignReviewer.findMany({
    where: { campaignId },
    select: { canExport: true, addedAt: true, user: { select: userFields } },
    orderBy: [{ addedAt: 'asc' }, { userId: 'asc' }],
  });
}

/** The campaigns the user reviews (any status but a campaign being deleted), for their home page. */
export function listReviewedCampaigns(db: Db, userId: string) {
  return db.prisma.campaignReviewer.findMany({
    where: { userId, campaign: { deletingAt: null } },
    select: { canExport: true, campaign: { select: { id: true, name: true, status: true } } },
    orderBy: [{ addedAt: 'asc' }, { campaignId: 'asc' }],
  });
}

export async function isCampaignRater(db: Db, campaignId: string, userId: string): Promise<boolean> {
  return (await db.prisma.campaignMember.count({ where: { campaignId, userId } })) > 0;
}
