// Rater exclusion: the membership flag, its recorded history, and the comparison counters it moves
// (their statements live with the rater loop's, in RATING_SQL). Called inside one transaction.
import type { Db } from '../handle';
import { RATING_SQL } from '../sql/rating';

/** Locks the membership row until the transaction ends; null when the user is not a member. */
export async function lockMembership(tx: Db, campaignId: string, userId: string): Promise<{ excluded: boolean } | null> {
  const rows = await tx.sql.query<{ excluded: boolean }>(RATING_SQL.lockMembership, [campaignId, userId]);
  return rows[0] ?? null;
}

/** Sets the membership flag and records the event (never deleted: exports rebuild past states from it). */
export async function recordExclusion(
  tx: Db,
  event: { campaignId: string; raterId: string; excluded: boolean; actorId: string; reason: string | null; at: Date },
): Promise<void> {
  await tx.prisma.campaignMember.update({
    where: { campaignId_userId: { campaignId: event.campaignId, userId: event.raterId } },
    data: { excluded: event.excluded },
  });
  const { at, ...fields } = event;
  await tx.prisma.raterExclusion.create({ data: { ...fields, createdAt: at } });
}

/**
 * Adds `delta` to `submitted` of every comparison holding a standing judgment of the rater, and recounts
 * their vote summary (the explorer's, which counts raters not excluded: call it with the membership flag
 * already set). Returns the comparisons changed.
 */
export async function shiftSubmittedForRater(tx: Db, campaignId: string, raterId: string, delta: -1 | 1): Promise<number> {
  const shifted = await tx.sql.query<{ id: number }>(RATING_SQL.shiftSubmittedForRater, [campaignId, raterId, delta]);
  if (shifted.length === 0) return 0;
  // An exclusion is no activity: the summary's lastActivityAt stays.
  await tx.sql.query(RATING_SQL.refreshVoteSummary, [shifted.map((row) => row.id)]);
  return shifted.length;
}

/** Expires the rater's open leases in the campaign and gives their places back; returns how many. */
export async function expireOpenLeases(tx: Db, campaignId: string, raterId: string, at: Date): Promise<number> {
  const [row] = await tx.sql.query<{ n: number }>(RATING_SQL.expireRaterLeases, [campaignId, raterId, at]);
  return row?.n ?? 0;
}
