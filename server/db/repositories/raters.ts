// Rater exclusion: the membership flag, its recorded history, and the comparison counters it moves.
import type { Prisma } from '../database';

type Tx = Prisma.TransactionClient;

/** Locks the membership row until the transaction ends; null when the user is not a member. */
export async function lockMembership(tx: Tx, campaignId: string, userId: string): Promise<{ excluded: boolean } | null> {
  const rows = await tx.$queryRaw<{ excluded: boolean }[]>`
    SELECT "excluded" FROM "CampaignMember" WHERE "campaignId" = ${campaignId}::uuid AND "userId" = ${userId}::uuid FOR UPDATE`;
  return rows[0] ?? null;
}

/** Sets the membership flag and records the event (never deleted: exports rebuild past states from it). */
export async function recordExclusion(
  tx: Tx,
  event: { campaignId: string; raterId: string; excluded: boolean; actorId: string; reason: string | null; at: Date },
): Promise<void> {
  await tx.campaignMember.update({
    where: { campaignId_userId: { campaignId: event.campaignId, userId: event.raterId } },
    data: { excluded: event.excluded },
  });
  const { at, ...fields } = event;
  await tx.raterExclusion.create({ data: { ...fields, createdAt: at } });
}

/**
 * Adds `delta` (-1 or +1) to `submitted` of every comparison holding a standing judgment of the rater,
 * so that `submitted` keeps counting the judgments that count. Rows are locked in id order first, so two
 * exclusions touching the same comparisons cannot deadlock; the explorer's vote summary (migration `explorer`)
 * is recounted with the membership flag already set. Returns the comparisons changed.
 */
export async function shiftSubmittedForRater(tx: Tx, campaignId: string, raterId: string, delta: -1 | 1): Promise<number> {
  const locked = await tx.$queryRaw<{ id: number }[]>`
    SELECT c."id" FROM "Comparison" c
    WHERE c."campaignId" = ${campaignId}::uuid AND EXISTS (
      SELECT 1 FROM "Judgment" j WHERE j."comparisonId" = c."id" AND j."raterId" = ${raterId}::uuid AND j."undoneAt" IS NULL)
    ORDER BY c."id" FOR UPDATE`;
  if (locked.length === 0) return 0;
  const ids = locked.map((r) => r.id);
  const changed = await tx.$executeRaw`
    UPDATE "Comparison" SET "submitted" = "submitted" + ${delta}::int
    WHERE "id" = ANY(${ids}::int[])`;
  // The explorer's vote summary counts raters not excluded: recount it (an exclusion is no activity).
  await tx.$queryRaw`SELECT juxta_refresh_comparisons(${ids}::int[], NULL)::text`;
  return changed;
}

/** Expires the rater's open leases in the campaign and gives their places back; returns how many. */
export async function expireOpenLeases(tx: Tx, campaignId: string, raterId: string, at: Date): Promise<number> {
  const closed = await tx.$queryRaw<{ comparisonId: number }[]>`
    UPDATE "Assignment" SET "status" = 'EXPIRED', "closedAt" = ${at}
    WHERE "campaignId" = ${campaignId}::uuid AND "raterId" = ${raterId}::uuid AND "status" = 'LEASED'
    RETURNING "comparisonId"`;
  if (closed.length === 0) return 0;
  await tx.$executeRaw`
    UPDATE "Comparison" SET "leased" = "leased" - 1 WHERE "id" = ANY(${closed.map((r) => r.comparisonId)}::int[])`;
  return closed.length;
}
