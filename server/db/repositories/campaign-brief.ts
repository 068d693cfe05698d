// The campaign fields a rater may read, found only through the rater's own membership.
import type { Db } from '../handle';

/** The campaign's current guideline, or null unless the user is a member of it and not excluded. */
export function findBriefForMember(db: Db, campaignId: string, userId: string) {
  return db.prisma.campaign.findFirst({
    where: { id: campaignId, members: { some: { userId, excluded: false } } },
    select: {
      name: true,
      instructions: true,
      contentWarning: true,
      guidelineVersion: true,
      design: true,
      comparisons: { select: { id: true }, take: 1 },
    },
  });
}
