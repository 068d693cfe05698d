// Export reads' SQL: keyset pages of comparisons or judgments, built for the request's scope (its filters
// add conditions and parameters). Which judgments count is the rule of counted-judgments.ts, as of `asOf`.
import { Params } from '../sql-params';
import { countingRank, withinTarget } from './counted-judgments';
import { publishedImport } from './published-import';

/** What decides which comparisons and judgments an export reads; every date is compared in SQL. */
export interface ExportScope {
  campaignId: string;
  asOf: Date;
  /** Raters excluded as of asOf (RaterExclusion history): their judgments do not count. */
  excludedAsOf: string[];
  /** Comparisons removed as of asOf (RemovalEvent history): left out. */
  removedAsOf: number[];
  /** Adjudicated answers standing as of asOf, by comparison id (only read when the export prefers them). */
  adjudicatedAsOf: Map<number, string>;
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

/** A statement and its positional parameters. */
export interface Statement {
  text: string;
  values: unknown[];
}

/** The judgment is counting as of asOf: made by then, not undone by then, its rater not excluded then. */
function countingAsOf(j: string, scope: ExportScope, p: Params): string {
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

/** The model of each slot of a ranking task `c` (rows `alias`.model, `alias`.n from 1), for the filters below. */
const slotModels = (alias: string) => `unnest(c.slots) WITH ORDINALITY ${alias}s(id, n) JOIN "Response" ${alias} ON ${alias}.id = ${alias}s.id`;

/** `x~y` or `y~x` is one of the listed pairs (a text[] parameter). */
const isListedPair = (x: string, y: string, pairs: string) => `(${x} || '~' || ${y} = ANY(${pairs}) OR ${y} || '~' || ${x} = ANY(${pairs}))`;

/**
 * Comparisons of a published import, narrowed by gold, models and model pairs (c, ra, rb in scope). A ranking task
 * (slots) is read by all its slots, not A and B: with `models`, every slot's model must be listed (as both of a
 * pair's); with `pairs`, some two of its slots must be a listed pair (pair formats then write only those pairs).
 */
function comparisonFilters(scope: ExportScope, p: Params): string {
  let sql = ` AND ${publishedImport('c')}`;
  if (scope.removedAsOf.length > 0) sql += ` AND NOT (c.id = ANY(${p.add(scope.removedAsOf, 'int[]')}))`;
  if (scope.excludeGold) sql += ` AND NOT c."isGold"`;
  if (scope.models.length > 0) {
    const models = p.add(scope.models, 'text[]');
    sql += ` AND CASE WHEN cardinality(c.slots) > 0 THEN NOT EXISTS (SELECT 1 FROM ${slotModels('rx')} WHERE NOT (rx.model = ANY(${models})))
      ELSE ra.model = ANY(${models}) AND rb.model = ANY(${models}) END`;
  }
  if (scope.pairs.length > 0) {
    const pairs = p.add(scope.pairs, 'text[]');
    sql += ` AND CASE WHEN cardinality(c.slots) > 0 THEN EXISTS (SELECT 1 FROM ${slotModels('rx')} JOIN ${slotModels('ry')} ON rxs.n < rys.n WHERE ${isListedPair('rx.model', 'ry.model', pairs)})
      ELSE ${isListedPair('ra.model', 'rb.model', pairs)} END`;
  }
  if (scope.onlyComplete) {
    // Complete: k counted judgments as of asOf (gold has no k: one is enough).
    sql += ` AND (SELECT count(*) FROM "Judgment" x WHERE x."comparisonId" = c.id AND ${countingAsOf('x', scope, p)})
      >= GREATEST(c.target, 1)`;
  }
  return sql;
}

const COMPARISON_COLUMNS = `c.id, c.target, c."isGold", p.key AS "promptKey", p.context, c."referenceChoice"::text AS "referenceChoice", c."referenceSource",
  ra.model AS "modelA", ra.content AS "contentA", rb.model AS "modelB", rb.content AS "contentB",
  ra.metadata->'generation' AS "generationA", rb.metadata->'generation' AS "generationB",
  CASE WHEN cardinality(c.slots) > 0 THEN (SELECT jsonb_agg(jsonb_build_object('model', rs.model, 'content', rs.content, 'generation', rs.metadata->'generation') ORDER BY s.n)
    FROM unnest(c.slots) WITH ORDINALITY s(id, n) JOIN "Response" rs ON rs.id = s.id) END AS "slotResponses"`;
const COMPARISON_JOINS = `JOIN "Prompt" p ON p.id = c."promptId"
  JOIN "Response" ra ON ra.id = c."responseAId" JOIN "Response" rb ON rb.id = c."responseBId"`;

export const EXPORT_SQL = {
  /** $1 campaign. */
  campaign: `SELECT id, name, seed, design, "votesPerComparison", "guidelineVersion" FROM "Campaign" WHERE id = $1::uuid`,

  /** Users who are or were raters of the campaign (members, or authors of a judgment). $1 campaign. */
  raterIds: `SELECT "userId" AS id FROM "CampaignMember" WHERE "campaignId" = $1::uuid
     UNION SELECT DISTINCT "raterId" FROM "Judgment" WHERE "campaignId" = $1::uuid`,

  /** Raters whose latest exclusion event at or before $2 excluded them. $1 campaign, $2 asOf. */
  excludedAsOf: `SELECT id FROM (
       SELECT DISTINCT ON ("raterId") "raterId" AS id, excluded FROM "RaterExclusion"
       WHERE "campaignId" = $1::uuid AND "createdAt" <= $2::timestamptz
       ORDER BY "raterId", "createdAt" DESC, id DESC
     ) latest WHERE excluded`,

  /** The next page of comparisons in the scope, by id after `afterId`. */
  comparisonPage(scope: ExportScope, afterId: number, limit: number): Statement {
    const p = new Params();
    const text = `SELECT ${COMPARISON_COLUMNS} FROM "Comparison" c ${COMPARISON_JOINS}
    WHERE c."campaignId" = ${p.add(scope.campaignId, 'uuid')} AND c.id > ${p.add(afterId, 'int')}
    ${comparisonFilters(scope, p)}
    ORDER BY c.id LIMIT ${p.add(limit, 'int')}`;
    return { text, values: p.values };
  },

  /**
   * The judgments that count for these comparisons as of asOf, then narrowed by the request's filters,
   * with `counted`: the comparison's counting judgments before the k cap and the filters. Ordered by
   * comparison, then time.
   */
  /** The adjudicated answer of each comparison as of asOf: the latest made by then and not withdrawn by then. $1 campaign, $2 asOf. */
  adjudicationsAsOf: `SELECT "comparisonId", choice FROM (
       SELECT DISTINCT ON ("comparisonId") "comparisonId", choice::text AS choice, "withdrawnAt" FROM "Adjudication"
       WHERE "campaignId" = $1::uuid AND "createdAt" <= $2::timestamptz
       ORDER BY "comparisonId", "createdAt" DESC, id DESC
     ) latest WHERE "withdrawnAt" IS NULL OR "withdrawnAt" > $2::timestamptz`,

  countedJudgments(scope: ExportScope, comparisons: { id: number; target: number; isGold: boolean }[]): Statement {
    const p = new Params();
    // The page's targets travel with it: joining "Comparison" here made the planner hash the whole table.
    const ids = p.add(comparisons.map((c) => c.id), 'int[]');
    const targets = p.add(comparisons.map((c) => c.target), 'int[]');
    // Judgments made as gold on an adjudicated pair check the rater; they are not the pair's judgments.
    const goldIds = p.add(comparisons.filter((c) => c.isGold).map((c) => c.id), 'int[]');
    const text = `SELECT r."comparisonId", r."raterId", r.choice, r.strength, r.criteria, r.ranking, r."allBad", r."createdAt", r."guidelineVersion", r.counted
    FROM (
      SELECT j.id, j."comparisonId", j."raterId", j.choice::text AS choice, j.strength, j.criteria, j.ranking, j."allBad", j."createdAt", j."guidelineVersion",
        ${countingRank('j')} AS rank,
        (count(*) OVER (PARTITION BY j."comparisonId"))::int AS counted
      FROM "Judgment" j
      WHERE j."comparisonId" = ANY(${ids}) AND ${countingAsOf('j', scope, p)} AND (NOT j."isGold" OR j."comparisonId" = ANY(${goldIds}))
    ) r JOIN unnest(${ids}, ${targets}) AS c(id, target) ON c.id = r."comparisonId"
    WHERE ${withinTarget('r.rank', 'c.target')} ${judgmentFilters('r', scope, p)}
    ORDER BY r."comparisonId", r."createdAt", r.id`;
    return { text, values: p.values };
  },

  /** The next page of judgments made by asOf (counted or not: raw marks undone and excluded ones), by id. */
  rawJudgmentPage(scope: ExportScope, afterId: number, limit: number): Statement {
    const p = new Params();
    const text = `SELECT j.id AS "judgmentId", j."raterId", j.choice::text AS choice, j.strength, j.criteria, j.ranking, j."allBad", j.rationale, j."timeMs",
      j."guidelineVersion", j."createdAt", j."undoneAt", a."leftIsA", a."shownOrder", a."issuedAt" AS "assignedAt", ${COMPARISON_COLUMNS}
    FROM "Judgment" j JOIN "Assignment" a ON a.id = j."assignmentId" JOIN "Comparison" c ON c.id = j."comparisonId" ${COMPARISON_JOINS}
    WHERE j."campaignId" = ${p.add(scope.campaignId, 'uuid')} AND j.id > ${p.add(afterId, 'int')}
      AND j."createdAt" <= ${p.add(scope.asOf.toISOString(), 'timestamptz')}
      ${judgmentFilters('j', scope, p)} ${comparisonFilters(scope, p)}
    ORDER BY j.id LIMIT ${p.add(limit, 'int')}`;
    return { text, values: p.values };
  },
};
