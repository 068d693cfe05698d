// The explorer's reads (statements: EXPLORER_SQL in server/db/sql/explorer.ts): a campaign's comparisons
// narrowed by filters, in keyset pages, and one comparison with every judgment and flag. Sent straight to pg or
// PGlite: a page is at most three small look-ups and one statement.
import type { Db } from '../handle';
import { EXPLORER_SQL, likePattern, type Choice, type ComparisonPageRequest, type LookedUp } from '../sql/explorer';

export type { ComparisonFilters, ComparisonPageRequest, ExplorerKeyset } from '../sql/explorer';

export interface ComparisonSummaryRow {
  id: number;
  promptId: number;
  prompt: string;
  responseAId: number;
  modelA: string;
  responseBId: number;
  modelB: string;
  isGold: boolean;
  goldChoice: Choice | null;
  removed: boolean;
  removedAt: Date | null;
  adjudicatedChoice: Choice | null;
  brokenA: boolean;
  brokenB: boolean;
  target: number;
  submitted: number;
  leased: number;
  votesA: number;
  votesB: number;
  votesTie: number;
  votesBothBad: number;
  dispute: number;
  flagCount: number;
  referenceChoice: Choice | null;
  referenceSource: string | null;
  lastActivityAt: Date;
}

/**
 * Up to this many prompts matching the text are looked up first and their comparisons read by prompt; more
 * than that, and the text is common enough that walking the comparisons in sort order finds a page soon.
 * The planner cannot tell the two apart (its estimate of a pattern's share is a guess), and the wrong choice
 * walked a whole campaign for a rare word (5 s at 1 M judgments).
 */
export const TEXT_PROMPT_LOOKUP = 2000;

/**
 * The same for a model: up to this many responses, its comparisons are read through the response indexes; a
 * model not in the campaign answers at once instead of walking every comparison.
 */
export const MODEL_RESPONSE_LOOKUP = 500;

/**
 * The same for a model pair: up to this many comparisons, they are read through the pair index and sorted; more,
 * and walking the campaign in sort order (the pair is a condition on the comparison's own columns) fills a page
 * within about N / PAIR_LOOKUP rows. Counting them reads the pair index alone.
 */
export const PAIR_LOOKUP = 5000;

/** The same for comparisons with a rationale (a campaign where few raters write one). */
export const RATIONALE_LOOKUP = 2000;

/**
 * The statement that reads one page (null: nothing can match), after looking up the prompts a text filter
 * matches, the responses of a filter's model and the comparisons with a rationale, to drive the page from them
 * when they are few. Exported so bench/explorer.ts explains the very same SQL.
 */
export async function comparisonPageQuery(db: Db, r: ComparisonPageRequest): Promise<{ sql: string; params: unknown[] } | null> {
  const limits = r.lookupLimits ?? { text: TEXT_PROMPT_LOOKUP, model: MODEL_RESPONSE_LOOKUP, rationale: RATIONALE_LOOKUP, pair: PAIR_LOOKUP };
  const found: LookedUp = { textPrompts: null, modelResponses: null, rationaleComparisons: null, rarePair: false };
  if (r.filters.model !== null) {
    const responses = await db.sql.queryAdHoc<{ id: number }>(EXPLORER_SQL.modelResponses, [r.campaignId, r.filters.model, limits.model + 1]);
    if (responses.length === 0) return null;
    if (responses.length <= limits.model) found.modelResponses = responses.map((row) => row.id);
  }
  if (r.filters.pair !== null) {
    const [{ n }] = await db.sql.queryAdHoc<{ n: number }>(EXPLORER_SQL.pairComparisons, [r.campaignId, ...r.filters.pair, limits.pair + 1]);
    if (n === 0) return null;
    found.rarePair = n <= limits.pair;
  }
  if (r.filters.rationale === true) {
    const judged = await db.sql.queryAdHoc<{ id: number }>(EXPLORER_SQL.rationaleComparisons, [r.campaignId, limits.rationale + 1]);
    if (judged.length === 0) return null;
    if (judged.length <= limits.rationale) found.rationaleComparisons = judged.map((row) => row.id);
  }
  if (r.filters.text !== null) {
    const matched = await db.sql.queryAdHoc<{ id: number }>(EXPLORER_SQL.textPrompts, [r.campaignId, likePattern(r.filters.text), limits.text + 1]);
    if (matched.length === 0) return null;
    if (matched.length <= limits.text) found.textPrompts = matched.map((row) => row.id);
  }
  return EXPLORER_SQL.comparisonPage(r, found);
}

/** One page; sent unnamed (queryAdHoc) so that each is planned with its filter values. */
export async function readComparisonPage(db: Db, request: ComparisonPageRequest): Promise<ComparisonSummaryRow[]> {
  const statement = await comparisonPageQuery(db, request);
  return statement ? db.sql.queryAdHoc<ComparisonSummaryRow>(statement.sql, statement.params) : [];
}

export interface ComparisonDetailRow extends ComparisonSummaryRow {
  campaignId: string;
  context: unknown;
  contentA: string;
  contentB: string;
}

export interface JudgmentDetailRow {
  id: number;
  raterId: string;
  raterName: string;
  leftIsA: boolean;
  choice: Choice;
  strength: number | null;
  criteria: unknown;
  rationale: string | null;
  timeMs: number;
  guidelineVersion: number;
  isGold: boolean;
  createdAt: Date;
  undoneAt: Date | null;
  excluded: boolean;
}

export interface FlagDetailRow {
  id: number;
  raterId: string;
  raterName: string;
  reason: 'HARMFUL' | 'BROKEN' | 'WRONG_LANGUAGE' | 'OTHER';
  target: 'A' | 'B' | 'BOTH';
  note: string | null;
  createdAt: Date;
  dismissedAt: Date | null;
}

/** One comparison of a published import with its prompt, both responses, every judgment and flag; null when there is none. */
export async function readComparisonDetail(
  db: Db,
  comparisonId: number,
): Promise<{ comparison: ComparisonDetailRow; judgments: JudgmentDetailRow[]; flags: FlagDetailRow[] } | null> {
  const sql = db.sql;
  const [comparison] = await sql.query<ComparisonDetailRow>(EXPLORER_SQL.comparisonDetail, [comparisonId]);
  if (!comparison) return null;
  const judgments = await sql.query<JudgmentDetailRow>(EXPLORER_SQL.judgmentsOfComparison, [comparisonId]);
  const flags = await sql.query<FlagDetailRow>(EXPLORER_SQL.flagsOfComparison, [comparisonId]);
  return { comparison, judgments, flags };
}
