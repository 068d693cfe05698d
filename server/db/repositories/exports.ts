// Export reads: raw SQL with keyset pagination (Prisma has no streaming reads and builds an object per row),
// run on the pg pool or the embedded PGlite directly so a page costs one round trip and no model mapping.
import type { Database } from '../database';
import { Params } from '../sql-params';
import { sqlOf, type Query } from '../sql-runner';
import { publishedImportCondition } from './imports';

const queryOf = (db: Database): Query => sqlOf(db).query;


export interface ExportCampaignRow {
  id: string;
  name: string;
  seed: string;
  design: unknown;
  votesPerComparison: number;
  guidelineVersion: number;
}

/** What decides which comparisons and judgments an export reads; every date is compared in SQL. */
export interface ExportScope {
  campaignId: string;
  asOf: Date;
  /** Raters excluded as of asOf (RaterExclusion history): their judgments do not count. */
  excludedAsOf: string[];
  /** Comparisons removed as of asOf (RemovalEvent history): left out. */
  removedAsOf: number[];
  /** Raters the request leaves out. */
  omittedRaters: string[];
  from: Date | null;
  to: Date | null;
  excludeGold: boolean;
  onlyComplete: boolean;
  models: string[];
  /** Unordered model pairs written `a~b`. */
  pairs: string[];
  guidelineVersion: number | null;
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
  referenceChoice: string | null;
  referenceSource: string | null;
}

export interface CountedJudgmentRow {
  comparisonId: number;
  raterId: string;
  choice: string;
  strength: number | null;
  criteria: unknown;
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
  assignedAt: Date;
}

export async function findExportCampaign(db: Database, campaignId: string): Promise<ExportCampaignRow | null> {
  const rows = await queryOf(db)<ExportCampaignRow>(
    `SELECT id, name, seed, design, "votesPerComparison", "guidelineVersion" FROM "Campaign" WHERE id = $1::uuid`,
    [campaignId],
  );
  return rows[0] ?? null;
}

/** Users who are or were raters of the campaign (members, or authors of a judgment). */
export async function listCampaignRaterIds(db: Database, campaignId: string): Promise<string[]> {
  const rows = await queryOf(db)<{ id: string }>(
    `SELECT "userId" AS id FROM "CampaignMember" WHERE "campaignId" = $1::uuid
     UNION SELECT DISTINCT "raterId" FROM "Judgment" WHERE "campaignId" = $1::uuid`,
    [campaignId],
  );
  return rows.map((row) => row.id);
}

/** Raters whose latest exclusion event at or before asOf excluded them. */
export async function listRatersExcludedAsOf(db: Database, campaignId: string, asOf: Date): Promise<string[]> {
  const rows = await queryOf(db)<{ id: string }>(
    `SELECT id FROM (
       SELECT DISTINCT ON ("raterId") "raterId" AS id, excluded FROM "RaterExclusion"
       WHERE "campaignId" = $1::uuid AND "createdAt" <= $2::timestamptz
       ORDER BY "raterId", "createdAt" DESC, id DESC
     ) latest WHERE excluded`,
    [campaignId, asOf.toISOString()],
  );
  return rows.map((row) => row.id);
}

/** The judgment counts as of asOf: made by then, not undone by then, its rater not excluded then. */
function countedAsOf(j: string, scope: ExportScope, p: Params): string {
  const asOf = p.add(scope.asOf.toISOString(), 'timestamptz');
  return `${j}."createdAt" <= ${asOf} AND (${j}."undoneAt" IS NULL OR ${j}."undoneAt" > ${asOf})
    AND NOT (${j}."raterId" = ANY(${p.add(scope.excludedAsOf, 'uuid[]')}))`;
}

/** The request's judgment filters: time range, omitted raters, guideline version. */
function judgmentFilters(j: string, scope: ExportScope, p: Params): string {
  const clauses: string[] = [];
  if (scope.from) clauses.push(`${j}."createdAt" >= ${p.add(scope.from.toISOString(), 'timestamptz')}`);
  if (scope.to) clauses.push(`${j}."createdAt" < ${p.add(scope.to.toISOString(), 'timestamptz')}`);
  if (scope.omittedRaters.length > 0) clauses.push(`NOT (${j}."raterId" = ANY(${p.add(scope.omittedRaters, 'uuid[]')}))`);
  if (scope.guidelineVersion !== null) clauses.push(`${j}."guidelineVersion" = ${p.add(scope.guidelineVersion, 'int')}`);
  return clauses.map((clause) => ` AND ${clause}`).join('');
}

/** Comparisons of a published import, narrowed by gold, models and model pairs (c, ra, rb in scope). */
function comparisonFilters(scope: ExportScope, p: Params): string {
  let sql = ` AND ${publishedImportCondition('c')}`;
  if (scope.removedAsOf.length > 0) sql += ` AND NOT (c.id = ANY(${p.add(scope.removedAsOf, 'int[]')}))`;
  if (scope.excludeGold) sql += ` AND NOT c."isGold"`;
  if (scope.models.length > 0) {
    const models = p.add(scope.models, 'text[]');
    sql += ` AND ra.model = ANY(${models}) AND rb.model = ANY(${models})`;
  }
  if (scope.pairs.length > 0) {
    const pairs = p.add(scope.pairs, 'text[]');
    sql += ` AND (ra.model || '~' || rb.model = ANY(${pairs}) OR rb.model || '~' || ra.model = ANY(${pairs}))`;
  }
  if (scope.onlyComplete) {
    // Complete: k counted judgments as of asOf (gold has no k: one is enough).
    sql += ` AND (SELECT count(*) FROM "Judgment" x WHERE x."comparisonId" = c.id AND ${countedAsOf('x', scope, p)})
      >= GREATEST(c.target, 1)`;
  }
  return sql;
}

const COMPARISON_COLUMNS = `c.id, c.target, c."isGold", p.key AS "promptKey", p.context, c."referenceChoice"::text AS "referenceChoice", c."referenceSource",
  ra.model AS "modelA", ra.content AS "contentA", rb.model AS "modelB", rb.content AS "contentB"`;
const COMPARISON_JOINS = `JOIN "Prompt" p ON p.id = c."promptId"
  JOIN "Response" ra ON ra.id = c."responseAId" JOIN "Response" rb ON rb.id = c."responseBId"`;

/** The next page of comparisons in the scope, by id after `afterId`. */
export async function readComparisonPage(db: Database, scope: ExportScope, afterId: number, limit: number): Promise<ComparisonRow[]> {
  const p = new Params();
  const sql = `SELECT ${COMPARISON_COLUMNS} FROM "Comparison" c ${COMPARISON_JOINS}
    WHERE c."campaignId" = ${p.add(scope.campaignId, 'uuid')} AND c.id > ${p.add(afterId, 'int')}
    ${comparisonFilters(scope, p)}
    ORDER BY c.id LIMIT ${p.add(limit, 'int')}`;
  return queryOf(db)<ComparisonRow>(sql, p.values);
}

/**
 * The judgments that count for these comparisons: as of asOf, only the k earliest per comparison
 * (k = its target; gold has none), then narrowed by the request's filters. Ordered by comparison, then time.
 */
export async function readCountedJudgments(db: Database, scope: ExportScope, comparisons: { id: number; target: number }[]): Promise<CountedJudgmentRow[]> {
  if (comparisons.length === 0) return [];
  const p = new Params();
  // The page's targets travel with it: joining "Comparison" here made the planner hash the whole table.
  const ids = p.add(comparisons.map((c) => c.id), 'int[]');
  const targets = p.add(comparisons.map((c) => c.target), 'int[]');
  const sql = `SELECT r."comparisonId", r."raterId", r.choice, r.strength, r.criteria, r."createdAt", r."guidelineVersion", r.counted
    FROM (
      SELECT j.id, j."comparisonId", j."raterId", j.choice::text AS choice, j.strength, j.criteria, j."createdAt", j."guidelineVersion",
        row_number() OVER (PARTITION BY j."comparisonId" ORDER BY j."createdAt", j.id) AS rank,
        (count(*) OVER (PARTITION BY j."comparisonId"))::int AS counted
      FROM "Judgment" j
      WHERE j."comparisonId" = ANY(${ids}) AND ${countedAsOf('j', scope, p)}
    ) r JOIN unnest(${ids}, ${targets}) AS c(id, target) ON c.id = r."comparisonId"
    WHERE (c.target = 0 OR r.rank <= c.target) ${judgmentFilters('r', scope, p)}
    ORDER BY r."comparisonId", r."createdAt", r.id`;
  return queryOf(db)<CountedJudgmentRow>(sql, p.values);
}

/** The next page of judgments made by asOf (counted or not: raw marks undone and excluded ones), by id. */
export async function readRawJudgmentPage(db: Database, scope: ExportScope, afterId: number, limit: number): Promise<RawJudgmentRow[]> {
  const p = new Params();
  const sql = `SELECT j.id AS "judgmentId", j."raterId", j.choice::text AS choice, j.strength, j.criteria, j.rationale, j."timeMs",
      j."guidelineVersion", j."createdAt", j."undoneAt", a."leftIsA", a."issuedAt" AS "assignedAt", ${COMPARISON_COLUMNS}
    FROM "Judgment" j JOIN "Assignment" a ON a.id = j."assignmentId" JOIN "Comparison" c ON c.id = j."comparisonId" ${COMPARISON_JOINS}
    WHERE j."campaignId" = ${p.add(scope.campaignId, 'uuid')} AND j.id > ${p.add(afterId, 'int')}
      AND j."createdAt" <= ${p.add(scope.asOf.toISOString(), 'timestamptz')}
      ${judgmentFilters('j', scope, p)} ${comparisonFilters(scope, p)}
    ORDER BY j.id LIMIT ${p.add(limit, 'int')}`;
  return queryOf(db)<RawJudgmentRow>(sql, p.values);
}
