// Export reads: SQL with keyset pagination (EXPORT_SQL in server/db/sql/exports.ts; Prisma has no streaming
// reads and builds an object per row), run on the driver so a page costs one round trip and no model mapping.
import type { Db } from '../handle';
import { EXPORT_SQL, type ExportScope } from '../sql/exports';

export type { ExportScope } from '../sql/exports';

export interface ExportCampaignRow {
  id: string;
  name: string;
  seed: string;
  design: unknown;
  votesPerComparison: number;
  guidelineVersion: number;
}

export interface ComparisonRow {
  id: number;
  target: number;
  isGold: boolean;
  promptKey: string;
  context: unknown;
  modelA: string;
  contentA: string;
  modelB: string;
  contentB: string;
  /** metadata.generation of a response a generation job made (null: imported). */
  generationA: unknown;
  generationB: unknown;
  referenceChoice: string | null;
  referenceSource: string | null;
  /** A ranking task's responses in slot order (null for a pair). */
  slotResponses: { model: string; content: string; generation: unknown }[] | null;
}

export interface CountedJudgmentRow {
  comparisonId: number;
  raterId: string;
  choice: string;
  strength: number | null;
  criteria: unknown;
  /** A ranking task's answer (groups of slots, best first); null for a pair. */
  ranking: number[][] | null;
  allBad: boolean;
  createdAt: Date;
  guidelineVersion: number;
  /** Counted judgments of the comparison as of asOf, before the k cap and the request's filters. */
  counted: number;
}

export interface RawJudgmentRow extends ComparisonRow {
  judgmentId: number;
  raterId: string;
  choice: string;
  strength: number | null;
  criteria: unknown;
  rationale: string | null;
  timeMs: number;
  guidelineVersion: number;
  createdAt: Date;
  undoneAt: Date | null;
  leftIsA: boolean;
  /** A ranking task's answer (groups of slots, best first), all bad, and the slot of each card as shown; null/empty for a pair. */
  ranking: number[][] | null;
  allBad: boolean;
  shownOrder: number[];
  assignedAt: Date;
}

export async function findExportCampaign(db: Db, campaignId: string): Promise<ExportCampaignRow | null> {
  const rows = await db.sql.query<ExportCampaignRow>(EXPORT_SQL.campaign, [campaignId]);
  return rows[0] ?? null;
}

/** Users who are or were raters of the campaign (members, or authors of a judgment). */
export async function listCampaignRaterIds(db: Db, campaignId: string): Promise<string[]> {
  return (await db.sql.query<{ id: string }>(EXPORT_SQL.raterIds, [campaignId])).map((row) => row.id);
}

/** Raters whose latest exclusion event at or before asOf excluded them. */
export async function listRatersExcludedAsOf(db: Db, campaignId: string, asOf: Date): Promise<string[]> {
  return (await db.sql.query<{ id: string }>(EXPORT_SQL.excludedAsOf, [campaignId, asOf.toISOString()])).map((row) => row.id);
}

/** The next page of comparisons in the scope, by id after `afterId`. */
export async function readComparisonPage(db: Db, scope: ExportScope, afterId: number, limit: number): Promise<ComparisonRow[]> {
  const { text, values } = EXPORT_SQL.comparisonPage(scope, afterId, limit);
  return db.sql.query<ComparisonRow>(text, values);
}

/** The judgments that count for these comparisons as of asOf (the k earliest), narrowed by the request's filters. */
export async function readCountedJudgments(db: Db, scope: ExportScope, comparisons: { id: number; target: number; isGold: boolean }[]): Promise<CountedJudgmentRow[]> {
  if (comparisons.length === 0) return [];
  const { text, values } = EXPORT_SQL.countedJudgments(scope, comparisons);
  return db.sql.query<CountedJudgmentRow>(text, values);
}

/** The next page of judgments made by asOf (counted or not: raw marks undone and excluded ones), by id. */
export async function readRawJudgmentPage(db: Db, scope: ExportScope, afterId: number, limit: number): Promise<RawJudgmentRow[]> {
  const { text, values } = EXPORT_SQL.rawJudgmentPage(scope, afterId, limit);
  return db.sql.query<RawJudgmentRow>(text, values);
}

/** The adjudicated answer of each comparison of the campaign as of asOf, by comparison id. */
export async function listAdjudicationsAsOf(db: Db, campaignId: string, asOf: Date): Promise<Map<number, string>> {
  const rows = await db.sql.query<{ comparisonId: number; choice: string }>(EXPORT_SQL.adjudicationsAsOf, [campaignId, asOf.toISOString()]);
  return new Map(rows.map((row) => [row.comparisonId, row.choice]));
}
