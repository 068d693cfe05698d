// Campaign membership: who may rate which campaign (exclusion, which also moves counters, is in raters.ts).
import type { Db } from '../handle';

export function campaignExists(db: Db, id: string) {
  return db.prisma.campaign.findUnique({ where: { id }, select: { id: true, name: true } });
}

/** Adds the membership, leaving an existing one (and its exclusion state) as it is. */
export function addCampaignMember(db: Db, campaignId: string, userId: string) {
  return db.prisma.campaignMember.upsert({
    where: { campaignId_userId: { campaignId, userId } },
    create: { campaignId, userId },
    update: {},
  });
}

/** A campaign's raters with their accounts, in the order they joined. */
export function listCampaignMembers(db: Db, campaignId: string) {
  return db.prisma.campaignMember.findMany({
    where: { campaignId },
    select: { joinedAt: true, excluded: true, user: { select: { id: true, email: true, name: true, role: true, active: true } } },
    orderBy: [{ joinedAt: 'asc' }, { userId: 'asc' }],
  });
}

/** Makes the user a rater of every campaign there is (the first admin, so the demo can be rated at once). */
export async function joinAllCampaigns(db: Db, userId: string): Promise<void> {
  const campaigns = await db.prisma.campaign.findMany({ select: { id: true } });
  await db.prisma.campaignMember.createMany({ data: campaigns.map((c) => ({ campaignId: c.id, userId })), skipDuplicates: true });
}
