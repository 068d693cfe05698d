// The stats endpoint's reads (STATS_SQL in server/db/sql/stats.ts), straight to the driver.
//
// A judgment is "standing" when not undone; "counted" when standing, its rater not excluded, and among the
// k earliest such judgments of its comparison (server/db/sql/counted-judgments.ts). Rows of imports that
// are not PUBLISHED are invisible.
import type { Db } from '../handle';
import { STATS_SQL } from '../sql/stats';

export { CHOICE_CODES, NO_CHOICE } from '../sql/stats';
export { MAX_SLOTS, pairChoiceOf, parseRankings, parseRankingTasks, slotsOfPairId, SLOT_PAIR_BASE, taskOfPairId } from '../sql/ranking-pairs';

/** A column of int4 values, big-endian, 4 bytes each (as int4send writes them). */
export type PackedInts = Uint8Array;

/** The campaign's published comparisons that are not removed, as parallel columns (item c of each describes comparison c): see STATS_SQL.comparisons. */
export interface PackedComparisons {
  ids: PackedInts;
  targets: PackedInts;
  gold: PackedInts;
  responseA: PackedInts;
  responseB: PackedInts;
  /** Adjudicated answer's code (CHOICE_CODES), NO_CHOICE when none stands. */
  adjudicated: PackedInts;
  /** Sources of reference labels (sorted): `reference` codes index into it. */
  referenceSources: string[];
  /** Reference label: source index * 8 + choice code (CHOICE_CODES), or -1 when the comparison has none. */
  reference: PackedInts;
  /** Slots of each comparison (0 for a pair). */
  slotCounts: PackedInts;
  /** The ranking tasks' slots, gold and reference rankings, in order (parseRankingTasks). */
  rankingTasks: string;
}

export async function readPackedComparisons(db: Db, campaignId: string): Promise<PackedComparisons> {
  const rows = await db.sql.query<PackedComparisons>(STATS_SQL.comparisons, [campaignId]);
  return rows[0]!;
}

/** The campaign's published responses of one model: see STATS_SQL.responses. */
export interface PackedModelResponses {
  model: string;
  ids: PackedInts;
  lengths: PackedInts;
}

/** The campaign's published responses by model, models sorted by name. */
export async function readPackedResponses(db: Db, campaignId: string): Promise<PackedModelResponses[]> {
  return db.sql.query<PackedModelResponses>(STATS_SQL.responses, [campaignId]);
}

/** One rater's standing judgments as parallel columns: see STATS_SQL.judgments. */
export interface PackedRaterJudgments {
  raterId: string;
  comparisonIds: PackedInts;
  timeMs: PackedInts;
  /** Hour of submission (hours since 1970-01-01 UTC) * 256 + answer code: see STATS_SQL.judgments. */
  hourCodes: PackedInts;
  /** 1 for a judgment made as gold (on a gold item, or on an adjudicated pair the rater had not seen), + 2 for a ranking. */
  gold: PackedInts;
  /** The rankings of the judgments flagged as rankings, in order (parseRankings). */
  rankings: string;
}

/** The raters' rows in no particular order (that of the aggregation). */
export async function readPackedJudgments(db: Db, campaignId: string, criterion: string | null, since: Date): Promise<PackedRaterJudgments[]> {
  const [sql, params] = criterion === null ? [STATS_SQL.judgments, [campaignId, since]] : [STATS_SQL.judgmentsByCriterion, [campaignId, since, criterion]];
  // In a transaction of its own, for its SET LOCAL.
  return db.sql.transaction((query) => query<PackedRaterJudgments>(sql, params), { lead: { sql: STATS_SQL.judgmentsMemory, params: [] } });
}

/** The counting judgments beyond the k earliest on the given (crowded, non-gold) comparisons, as (comparison, rater). */
export async function readSurplusJudgments(db: Db, comparisonIds: readonly number[]): Promise<{ comparisonId: number; raterId: string }[]> {
  if (comparisonIds.length === 0) return [];
  return db.sql.query(STATS_SQL.surplus, [comparisonIds]);
}

export interface CampaignRaterRow {
  id: string;
  name: string;
  excluded: boolean;
  flags: number;
}

/** Members of the campaign and the given users who judged in it, with their flag counts. */
export async function readCampaignRaters(db: Db, campaignId: string, judgedBy: readonly string[]): Promise<CampaignRaterRow[]> {
  return db.sql.query<CampaignRaterRow>(STATS_SQL.raters, [campaignId, judgedBy]);
}
