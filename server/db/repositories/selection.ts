// Active selection's reads and writes: which priority refreshes this instance takes, and writing them.
import type { Db } from '../handle';
import { SELECTION_SQL } from '../sql/selection';

export interface PairPriorityRow {
  modelA: string;
  modelB: string;
  priority: number;
}

/** The active campaigns whose refresh this instance took (none while another instance is taking them). */
export async function takeDueRefreshes(db: Db, now: Date, dueBefore: Date, lapsedBefore: Date, limit: number): Promise<string[]> {
  const rows = await db.sql.query<{ id: string }>(SELECTION_SQL.takeDueRefreshes, [now, dueBefore, lapsedBefore, limit]);
  return rows.map((r) => r.id);
}

/** Replaces the campaign's model-pair priorities and stamps the refresh, atomically. */
export async function writePairPriorities(db: Db, campaignId: string, rows: readonly PairPriorityRow[], now: Date, judgments: number): Promise<void> {
  await db.sql.query(SELECTION_SQL.writePriorities, [
    campaignId,
    rows.map((r) => r.modelA),
    rows.map((r) => r.modelB),
    rows.map((r) => r.priority),
    now,
    judgments,
  ]);
}

/** Whether a model pair (either order) has no open place left in the campaign: no comparison a claim could serve. */
export async function readFullPairs(db: Db, campaignId: string): Promise<(modelA: string, modelB: string) => boolean> {
  const rows = await db.sql.query<{ modelA: string; modelB: string; open: number }>(SELECTION_SQL.openPlaces, [campaignId]);
  const open = new Set(rows.filter((r) => r.open > 0).flatMap((r) => [`${r.modelA}\t${r.modelB}`, `${r.modelB}\t${r.modelA}`]));
  return (modelA, modelB) => !open.has(`${modelA}\t${modelB}`);
}

/** Assignments of the campaign by how they were picked. */
export async function countAssignmentsByArm(db: Db, campaignId: string): Promise<Record<'uniform' | 'control' | 'active', number>> {
  const rows = await db.sql.query<{ arm: 'uniform' | 'control' | 'active'; n: number }>(SELECTION_SQL.armCounts, [campaignId]);
  return { uniform: 0, control: 0, active: 0, ...Object.fromEntries(rows.map((r) => [r.arm, r.n])) };
}

/** The judged assignments active selection picked, as (comparison id, rater id). */
export async function readActivePicked(db: Db, campaignId: string): Promise<{ comparisonId: number; raterId: string }[]> {
  return db.sql.query(SELECTION_SQL.activePicked, [campaignId]);
}
