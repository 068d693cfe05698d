// The flag review queue and its actions: flags dismissed or reopened, comparisons removed or restored,
// responses marked broken or not. Current state lives on the rows (what the claim and stats read); every
// removal is also an event in RemovalEvent, from which the removed set as of any time is rebuilt (exports).
// Lock order: Response, then Comparison rows in id order (the rater loop never locks a Response).
// The statements are REVIEW_SQL (server/db/sql/review.ts).
import type { Db } from '../handle';
import { REVIEW_SQL, type FlagQueueFilter, type FlagReason } from '../sql/review';

export type FlagQueueRequest = FlagQueueFilter;

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
  const { text, values } = REVIEW_SQL.flagQueue(r);
  return db.sql.query<FlagQueueRow>(text, values);
}

/** Locks the flag; null when there is none. */
export async function lockFlag(tx: Db, flagId: number): Promise<{ id: number; campaignId: string; comparisonId: number; dismissedAt: Date | null } | null> {
  const rows = await tx.sql.query<{ id: number; campaignId: string; comparisonId: number; dismissedAt: Date | null }>(REVIEW_SQL.lockFlag, [flagId]);
  return rows[0] ?? null;
}

export async function setFlagDismissed(tx: Db, flagId: number, at: Date | null): Promise<void> {
  await tx.sql.execute(REVIEW_SQL.setFlagDismissed, [flagId, at]);
}

export interface LockedComparison {
  id: number;
  campaignId: string;
  removed: boolean;
  removedAt: Date | null;
}

/** Locks a published comparison; null when there is none. */
export async function lockComparison(tx: Db, comparisonId: number): Promise<LockedComparison | null> {
  const rows = await tx.sql.query<LockedComparison>(REVIEW_SQL.lockComparison, [comparisonId]);
  return rows[0] ?? null;
}

/** Locks a published response; null when there is none. */
export async function lockResponse(tx: Db, responseId: number): Promise<{ id: number; campaignId: string; model: string; brokenAt: Date | null } | null> {
  const rows = await tx.sql.query<{ id: number; campaignId: string; model: string; brokenAt: Date | null }>(REVIEW_SQL.lockResponse, [responseId]);
  return rows[0] ?? null;
}

export async function setResponseBroken(tx: Db, responseId: number, at: Date | null): Promise<void> {
  await tx.sql.execute(REVIEW_SQL.setResponseBroken, [responseId, at]);
}

export async function setComparisonRemovedAt(tx: Db, comparisonId: number, at: Date | null): Promise<void> {
  await tx.sql.execute(REVIEW_SQL.setComparisonRemovedAt, [comparisonId, at]);
}

/**
 * Sets `removed` from its causes (removed directly, or either response broken) on the given comparisons, or
 * on every comparison of `responseId`; locks them in id order first. Returns the ids whose state changed.
 */
export async function refreshRemoved(tx: Db, target: { comparisonId: number } | { responseId: number }): Promise<number[]> {
  const locked =
    'comparisonId' in target
      ? [{ id: target.comparisonId }]
      : await tx.sql.query<{ id: number }>(REVIEW_SQL.lockComparisonsOfResponse, [target.responseId]);
  if (locked.length === 0) return [];
  const changed = await tx.sql.query<{ id: number }>(REVIEW_SQL.refreshRemoved, [locked.map((row) => row.id)]);
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
  const rows = await db.sql.query<{ id: number }>(REVIEW_SQL.removedAsOf, [campaignId, asOf.toISOString()]);
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
  const rows = await tx.sql.query<AdjudicationTarget>(REVIEW_SQL.lockForAdjudication, [comparisonId]);
  return rows[0] ?? null;
}

/** Records an adjudication (or withdraws the standing one with `choice` null) and sets the comparison's current answer. */
export async function recordAdjudication(
  tx: Db,
  a: { campaignId: string; comparisonId: number; choice: 'A' | 'B' | 'TIE' | 'BOTH_BAD' | null; note: string | null; actorId: string; at: Date },
): Promise<void> {
  await tx.sql.execute(REVIEW_SQL.withdrawAdjudication, [a.comparisonId, a.at]);
  if (a.choice !== null) {
    await tx.prisma.adjudication.create({ data: { campaignId: a.campaignId, comparisonId: a.comparisonId, choice: a.choice, note: a.note, actorId: a.actorId, createdAt: a.at } });
  }
  await tx.sql.execute(REVIEW_SQL.setAdjudicatedChoice, [a.comparisonId, a.choice]);
}
