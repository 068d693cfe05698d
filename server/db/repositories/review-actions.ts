// The flag review queue and its actions: flags dismissed or reopened, comparisons removed or restored,
// responses marked broken or not. Current state lives on the rows (what the claim and stats read); every
// removal is also an event in RemovalEvent, from which the removed set as of any time is rebuilt (exports).
// Lock order: Response, then Comparison rows in id order (the rater loop never locks a Response).
import type { Db } from '../handle';
import { Params } from '../sql-params';
import { publishedImport } from '../sql/published-import';

type FlagReason = 'HARMFUL' | 'BROKEN' | 'WRONG_LANGUAGE' | 'OTHER';

export interface FlagQueueRequest {
  campaignId: string;
  reason: FlagReason | null;
  /** open: not dismissed and its comparison still in; dismissed; actioned: its comparison is removed. null: all. */
  state: 'open' | 'dismissed' | 'actioned' | null;
  after: { at: Date; id: number } | null;
  limit: number;
}

export interface FlagQueueRow {
  id: number;
  comparisonId: number;
  raterId: string;
  raterName: string;
  reason: FlagReason;
  target: 'A' | 'B' | 'BOTH';
  note: string | null;
  createdAt: Date;
  dismissedAt: Date | null;
  prompt: string | null;
  removed: boolean;
  removedAt: Date | null;
  responseAId: number;
  modelA: string;
  brokenA: Date | null;
  responseBId: number;
  modelB: string;
  brokenB: Date | null;
}

/** The campaign's flags, newest first, in keyset pages. */
export async function readFlagQueue(db: Db, r: FlagQueueRequest): Promise<FlagQueueRow[]> {
  const p = new Params();
  const where = [`f."campaignId" = ${p.add(r.campaignId, 'uuid')}`, publishedImport('c')];
  if (r.reason) where.push(`f.reason = ${p.add(r.reason, 'text')}::"FlagReason"`);
  if (r.state === 'open') where.push(`f."dismissedAt" IS NULL AND NOT c.removed`);
  if (r.state === 'dismissed') where.push(`f."dismissedAt" IS NOT NULL`);
  if (r.state === 'actioned') where.push(`c.removed`);
  if (r.after) where.push(`(f."createdAt", f.id) < (${p.add(r.after.at.toISOString(), 'timestamptz')}, ${p.add(r.after.id, 'int')})`);
  return db.sql.query<FlagQueueRow>(
    `SELECT f.id, f."comparisonId", f."raterId", u.name AS "raterName", f.reason::text AS reason, f.target::text AS target, f.note,
       f."createdAt", f."dismissedAt", left(p.context -> -1 ->> 'content', 300) AS prompt, c.removed, c."removedAt",
       c."responseAId", ra.model AS "modelA", ra."brokenAt" AS "brokenA", c."responseBId", rb.model AS "modelB", rb."brokenAt" AS "brokenB"
     FROM "Flag" f JOIN "Comparison" c ON c.id = f."comparisonId" JOIN "User" u ON u.id = f."raterId"
     JOIN "Prompt" p ON p.id = c."promptId" JOIN "Response" ra ON ra.id = c."responseAId" JOIN "Response" rb ON rb.id = c."responseBId"
     WHERE ${where.join(' AND ')}
     ORDER BY f."createdAt" DESC, f.id DESC LIMIT ${p.add(r.limit, 'int')}`,
    p.values,
  );
}

/** Locks the flag; null when there is none. */
export async function lockFlag(tx: Db, flagId: number): Promise<{ id: number; campaignId: string; comparisonId: number; dismissedAt: Date | null } | null> {
  const rows = await tx.prisma.$queryRaw<{ id: number; campaignId: string; comparisonId: number; dismissedAt: Date | null }[]>`
    SELECT id, "campaignId"::text AS "campaignId", "comparisonId", "dismissedAt" FROM "Flag" WHERE id = ${flagId}::int FOR UPDATE`;
  return rows[0] ?? null;
}

export async function setFlagDismissed(tx: Db, flagId: number, at: Date | null): Promise<void> {
  await tx.prisma.$executeRaw`UPDATE "Flag" SET "dismissedAt" = ${at} WHERE id = ${flagId}::int`;
}

export interface LockedComparison {
  id: number;
  campaignId: string;
  removed: boolean;
  removedAt: Date | null;
}

/** Locks a published comparison; null when there is none. */
export async function lockComparison(tx: Db, comparisonId: number): Promise<LockedComparison | null> {
  const rows = await tx.prisma.$queryRawUnsafe<LockedComparison[]>(
    `SELECT c.id, c."campaignId"::text AS "campaignId", c.removed, c."removedAt" FROM "Comparison" c
     WHERE c.id = $1::int AND ${publishedImport('c')} FOR UPDATE OF c`,
    comparisonId,
  );
  return rows[0] ?? null;
}

/** Locks a published response; null when there is none. */
export async function lockResponse(tx: Db, responseId: number): Promise<{ id: number; campaignId: string; model: string; brokenAt: Date | null } | null> {
  const rows = await tx.prisma.$queryRawUnsafe<{ id: number; campaignId: string; model: string; brokenAt: Date | null }[]>(
    `SELECT r.id, r."campaignId"::text AS "campaignId", r.model, r."brokenAt" FROM "Response" r
     WHERE r.id = $1::int AND ${publishedImport('r')} FOR UPDATE OF r`,
    responseId,
  );
  return rows[0] ?? null;
}

export async function setResponseBroken(tx: Db, responseId: number, at: Date | null): Promise<void> {
  await tx.prisma.$executeRaw`UPDATE "Response" SET "brokenAt" = ${at} WHERE id = ${responseId}::int`;
}

export async function setComparisonRemovedAt(tx: Db, comparisonId: number, at: Date | null): Promise<void> {
  await tx.prisma.$executeRaw`UPDATE "Comparison" SET "removedAt" = ${at} WHERE id = ${comparisonId}::int`;
}

/**
 * Sets `removed` from its causes (removed directly, or either response broken) on the given comparisons, or
 * on every comparison of `responseId`; locks them in id order first. Returns the ids whose state changed.
 */
export async function refreshRemoved(tx: Db, target: { comparisonId: number } | { responseId: number }): Promise<number[]> {
  const locked =
    'comparisonId' in target
      ? [{ id: target.comparisonId }]
      : await tx.prisma.$queryRaw<{ id: number }[]>`
          SELECT id FROM "Comparison" WHERE "responseAId" = ${target.responseId}::int OR "responseBId" = ${target.responseId}::int
          ORDER BY id FOR UPDATE`;
  if (locked.length === 0) return [];
  const changed = await tx.prisma.$queryRaw<{ id: number }[]>`
    UPDATE "Comparison" c SET removed = v.removed
    FROM (
      SELECT x.id, (x."removedAt" IS NOT NULL OR ra."brokenAt" IS NOT NULL OR rb."brokenAt" IS NOT NULL) AS removed
      FROM "Comparison" x JOIN "Response" ra ON ra.id = x."responseAId" JOIN "Response" rb ON rb.id = x."responseBId"
      WHERE x.id = ANY(${locked.map((row) => row.id)}::int[])
    ) v
    WHERE c.id = v.id AND c.removed <> v.removed
    RETURNING c.id`;
  return changed.map((row) => row.id).sort((x, y) => x - y);
}

export async function recordRemovalEvent(
  tx: Db,
  event: { campaignId: string; comparisonId?: number; responseId?: number; removed: boolean; actorId: string; reason: string | null; at: Date },
): Promise<void> {
  await tx.prisma.removalEvent.create({
    data: {
      campaignId: event.campaignId,
      comparisonId: event.comparisonId ?? null,
      responseId: event.responseId ?? null,
      removed: event.removed,
      actorId: event.actorId,
      reason: event.reason,
      createdAt: event.at,
    },
  });
}

/**
 * Comparisons of the campaign that were out as of `asOf`: removed directly, or holding a response marked
 * broken, by the latest event of each at or before asOf.
 */
export async function listComparisonsRemovedAsOf(db: Db, campaignId: string, asOf: Date): Promise<number[]> {
  const rows = await db.sql.query<{ id: number }>(
    `WITH latest AS (
       SELECT DISTINCT ON ("comparisonId", "responseId") "comparisonId", "responseId", removed FROM "RemovalEvent"
       WHERE "campaignId" = $1::uuid AND "createdAt" <= $2::timestamptz
       ORDER BY "comparisonId", "responseId", "createdAt" DESC, id DESC
     ), broken AS (SELECT "responseId" AS id FROM latest WHERE removed AND "responseId" IS NOT NULL)
     SELECT "comparisonId" AS id FROM latest WHERE removed AND "comparisonId" IS NOT NULL
     UNION SELECT c.id FROM "Comparison" c JOIN broken b ON c."responseAId" = b.id
     UNION SELECT c.id FROM "Comparison" c JOIN broken b ON c."responseBId" = b.id
     ORDER BY 1`,
    [campaignId, asOf.toISOString()],
  );
  return rows.map((row) => row.id);
}

export interface AdjudicationTarget extends LockedComparison {
  isGold: boolean;
  target: number;
  submitted: number;
  votes: number;
  dispute: number;
  adjudicatedChoice: string | null;
}

/** Locks a published comparison with what adjudicating it checks; null when there is none. */
export async function lockForAdjudication(tx: Db, comparisonId: number): Promise<AdjudicationTarget | null> {
  const rows = await tx.prisma.$queryRawUnsafe<AdjudicationTarget[]>(
    `SELECT c.id, c."campaignId"::text AS "campaignId", c.removed, c."removedAt", c."isGold", c.target, c.submitted,
       (c."votesA" + c."votesB" + c."votesTie" + c."votesBothBad")::int AS votes, c.dispute, c."adjudicatedChoice"::text AS "adjudicatedChoice"
     FROM "Comparison" c WHERE c.id = $1::int AND ${publishedImport('c')} FOR UPDATE OF c`,
    comparisonId,
  );
  return rows[0] ?? null;
}

/** Records an adjudication (or withdraws the standing one with `choice` null) and sets the comparison's current answer. */
export async function recordAdjudication(
  tx: Db,
  a: { campaignId: string; comparisonId: number; choice: 'A' | 'B' | 'TIE' | 'BOTH_BAD' | null; note: string | null; actorId: string; at: Date },
): Promise<void> {
  await tx.prisma.$executeRaw`UPDATE "Adjudication" SET "withdrawnAt" = ${a.at} WHERE "comparisonId" = ${a.comparisonId}::int AND "withdrawnAt" IS NULL`;
  if (a.choice !== null) {
    await tx.prisma.adjudication.create({ data: { campaignId: a.campaignId, comparisonId: a.comparisonId, choice: a.choice, note: a.note, actorId: a.actorId, createdAt: a.at } });
  }
  await tx.prisma.$executeRaw`UPDATE "Comparison" SET "adjudicatedChoice" = ${a.choice}::text::"Choice" WHERE id = ${a.comparisonId}::int`;
}
