// The explorer's statements (EXPLORER_SQL): a campaign's comparisons narrowed by filters, in keyset pages over the
// summary columns the database keeps on each comparison (votes, dispute, flags, latest activity: migration
// `explorer`), the look-ups that drive a page from a rare text, model or rationale, and one comparison with every
// judgment and flag. No locks. Pages are built per request (their filters) and sent unnamed, so each is planned
// with its values; repositories/explorer.ts does the look-ups and sends them.
import { Params } from '../sql-params';
import { publishedImport } from './published-import';

export type Choice = 'A' | 'B' | 'TIE' | 'BOTH_BAD';

export interface ComparisonFilters {
  promptId: number | null;
  model: string | null;
  pair: [string, string] | null;
  status: 'open' | 'complete' | 'over' | 'excluded' | 'removed' | 'active' | null;
  agreement: 'unanimous' | 'split' | 'tie-heavy' | null;
  flagged: boolean | null;
  rationale: boolean | null;
  rater: string | null;
  guidelineVersion: number | null;
  gold: boolean | null;
  reference: 'present' | 'absent' | 'agrees' | 'disagrees' | null;
  /** Matched case-insensitively anywhere in the prompt's turns. */
  text: string | null;
}

/** Where the previous page ended: its last row's sort value and id. */
export type ExplorerKeyset = { sort: 'activity'; at: Date; id: number } | { sort: 'disputed'; dispute: number; id: number };

export interface ComparisonPageRequest {
  campaignId: string;
  filters: ComparisonFilters;
  sort: 'activity' | 'disputed';
  after: ExplorerKeyset | null;
  limit: number;
  /** How many prompts matching the text, responses of a model, comparisons with a rationale or of a model pair may drive the page (tests: 0 always walks). */
  lookupLimits?: { text: number; model: number; rationale: number; pair: number };
}

/** The answer with strictly the most votes, as SQL over the comparison `c`; NULL when none leads. */
const MAJORITY = `CASE
    WHEN c."votesA" > GREATEST(c."votesB", c."votesTie", c."votesBothBad") THEN 'A'
    WHEN c."votesB" > GREATEST(c."votesA", c."votesTie", c."votesBothBad") THEN 'B'
    WHEN c."votesTie" > GREATEST(c."votesA", c."votesB", c."votesBothBad") THEN 'TIE'
    WHEN c."votesBothBad" > GREATEST(c."votesA", c."votesB", c."votesTie") THEN 'BOTH_BAD' END`;
const VOTES = `(c."votesA" + c."votesB" + c."votesTie" + c."votesBothBad")`;
/** A standing judgment `j` of the comparison `c`. */
const STANDING = (condition: string) =>
  `EXISTS (SELECT 1 FROM "Judgment" j WHERE j."comparisonId" = c.id AND j."undoneAt" IS NULL AND ${condition})`;

const SUMMARY_COLUMNS = `c.id, c."promptId", left(p.context -> -1 ->> 'content', 300) AS prompt,
  c."responseAId", c."modelA", c."responseBId", c."modelB", c."isGold", c."goldChoice"::text AS "goldChoice",
  c.removed, c."removedAt", c."adjudicatedChoice"::text AS "adjudicatedChoice", ra."brokenAt" IS NOT NULL AS "brokenA", rb."brokenAt" IS NOT NULL AS "brokenB", c.target, c.submitted, c.leased, c."votesA", c."votesB", c."votesTie", c."votesBothBad", c.dispute, c."flagCount",
  c."referenceChoice"::text AS "referenceChoice", c."referenceSource", c."lastActivityAt"`;
const SUMMARY_JOINS = `JOIN "Prompt" p ON p.id = c."promptId"
  JOIN "Response" ra ON ra.id = c."responseAId" JOIN "Response" rb ON rb.id = c."responseBId"`;

/** A standing judgment `j` with a rationale: the predicate of the partial index Judgment_explorer_rationale_idx. */
const WITH_RATIONALE = `j."undoneAt" IS NULL AND j.rationale IS NOT NULL AND j.rationale <> ''`;

/** Escapes LIKE's wildcards so the text matches literally. */
export const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;

/** What the look-ups before the page found: the prompts a rare text matches, the responses of a rare model. */
export interface LookedUp {
  textPrompts: number[] | null;
  modelResponses: number[] | null;
  rationaleComparisons: number[] | null;
  /** The model pair is rare: its comparisons are read through the pair index (Comparison_campaignId_modelA_modelB_id_idx), sorted after. */
  rarePair: boolean;
}

/**
 * The comparison `c` is of the model pair ($x, $y) in either A/B order: two ranges of the pair index. The pair is the
 * comparison's own columns (responses A's and B's models, slots 0 and 1 of a ranking task), so no response is joined.
 */
const PAIR_MATCH = (c: string, x: string, y: string) => `((${c}."modelA" = ${x} AND ${c}."modelB" = ${y}) OR (${c}."modelA" = ${y} AND ${c}."modelB" = ${x}))`;

/**
 * The comparisons a page is read from: the campaign's, walked in sort order; or, when a look-up found few
 * prompts or responses, only theirs, sorted after. OFFSET 0 keeps the planner from walking the campaign
 * anyway: it assumes matches spread evenly in sort order, and a rare text's prompts may all be old.
 */
function comparisonSource(campaign: string, pair: [string, string] | null, found: LookedUp, p: Params): string {
  const driving: string[] = [];
  if (found.textPrompts !== null) driving.push(`c0."promptId" = ANY(${p.add(found.textPrompts, 'int[]')})`);
  if (found.modelResponses !== null) {
    const responses = p.add(found.modelResponses, 'int[]');
    driving.push(`(c0."responseAId" = ANY(${responses}) OR c0."responseBId" = ANY(${responses}))`);
  }
  if (found.rationaleComparisons !== null) driving.push(`c0.id = ANY(${p.add(found.rationaleComparisons, 'int[]')})`);
  if (found.rarePair && pair) driving.push(PAIR_MATCH('c0', p.add(pair[0], 'text'), p.add(pair[1], 'text')));
  if (driving.length === 0) return `"Comparison" c`;
  return `(SELECT * FROM "Comparison" c0 WHERE c0."campaignId" = ${campaign} AND ${driving.join(' AND ')} OFFSET 0) c`;
}

function filterConditions(campaign: string, f: ComparisonFilters, found: LookedUp, p: Params): string[] {
  const where: string[] = [];
  if (f.promptId !== null) where.push(`c."promptId" = ${p.add(f.promptId, 'int')}`);
  if (f.model !== null) {
    const model = p.add(f.model, 'text');
    where.push(`(c."modelA" = ${model} OR c."modelB" = ${model})`);
  }
  if (f.pair !== null && !found.rarePair) where.push(PAIR_MATCH('c', p.add(f.pair[0], 'text'), p.add(f.pair[1], 'text')));
  if (f.status === 'open') where.push(`NOT c."isGold" AND c.submitted < c.target`);
  if (f.status === 'complete') where.push(`NOT c."isGold" AND c.submitted >= c.target`);
  if (f.status === 'over') where.push(`NOT c."isGold" AND c.submitted > c.target`);
  if (f.status === 'excluded') {
    where.push(STANDING(`EXISTS (SELECT 1 FROM "CampaignMember" m WHERE m."campaignId" = c."campaignId" AND m."userId" = j."raterId" AND m.excluded)`));
  }
  if (f.status === 'removed') where.push(`c.removed`);
  if (f.status === 'active') where.push(`NOT c.removed`);
  if (f.agreement === 'unanimous') where.push(`${VOTES} >= 2 AND c.dispute = 0`);
  // No answer has more than half the votes: dissent of at least half (500 per mille).
  if (f.agreement === 'split') where.push(`${VOTES} >= 2 AND c.dispute >= 500`);
  if (f.agreement === 'tie-heavy') where.push(`${VOTES} >= 1 AND 2 * (c."votesTie" + c."votesBothBad") >= ${VOTES}`);
  if (f.flagged !== null) where.push(f.flagged ? `c."flagCount" > 0` : `c."flagCount" = 0`);
  // Probed per comparison in the partial index Judgment_explorer_rationale_idx (OFFSET 0: probed, never driven from,
  // as the planner's guess of how many judgments carry a rationale can be off by 40x; few are driven from below).
  if (f.rationale !== null) {
    where.push(`${f.rationale ? '' : 'NOT '}EXISTS (SELECT 1 FROM "Judgment" j WHERE j."campaignId" = c."campaignId" AND j."comparisonId" = c.id
      AND ${WITH_RATIONALE} OFFSET 0)`);
  }
  if (f.rater !== null) {
    where.push(`c.id IN (SELECT j."comparisonId" FROM "Judgment" j
      WHERE j."campaignId" = ${campaign} AND j."raterId" = ${p.add(f.rater, 'uuid')} AND j."undoneAt" IS NULL)`);
  }
  if (f.guidelineVersion !== null) where.push(STANDING(`j."guidelineVersion" = ${p.add(f.guidelineVersion, 'int')}`));
  // `c."isGold"`: the predicate of the partial index Comparison_explorer_gold_idx (few comparisons are gold).
  if (f.gold !== null) where.push(f.gold ? `c."isGold"` : `NOT c."isGold"`);
  if (f.reference === 'present') where.push(`c."referenceChoice" IS NOT NULL`);
  if (f.reference === 'absent') where.push(`c."referenceChoice" IS NULL`);
  if (f.reference === 'agrees') where.push(`c."referenceChoice"::text = ${MAJORITY}`);
  if (f.reference === 'disagrees') where.push(`c."referenceChoice"::text <> ${MAJORITY}`);
  if (f.text !== null && found.textPrompts === null) where.push(`c."promptId" IN (${TEXT_MATCH(campaign, p.add(likePattern(f.text), 'text'))})`);
  return where;
}

/**
 * Prompts of the campaign whose text matches a pattern, case-insensitively: the generated column "searchText" (the
 * turns' text in lower case) LIKE the pattern in lower case, through its trigram index (Prompt_searchText_idx).
 * The same as ILIKE on the text, with a recheck of each candidate that lower-cases nothing.
 */
const TEXT_MATCH = (campaign: string, pattern: string) =>
  `SELECT tp.id FROM "Prompt" tp WHERE tp."campaignId" = ${campaign} AND tp."searchText" LIKE lower(${pattern})`;

/** Sort order and the keyset condition after the previous page's last row; both sorts are newest id first among equals. */
function keyset(sort: 'activity' | 'disputed', after: ExplorerKeyset | null, p: Params): { order: string; after: string | null } {
  if (sort === 'activity') {
    const condition = after?.sort === 'activity' ? `(c."lastActivityAt", c.id) < (${p.add(after.at.toISOString(), 'timestamptz')}, ${p.add(after.id, 'int')})` : null;
    return { order: `c."lastActivityAt" DESC, c.id DESC`, after: condition };
  }
  const condition = after?.sort === 'disputed' ? `(c.dispute, c.id) < (${p.add(after.dispute, 'int')}, ${p.add(after.id, 'int')})` : null;
  return { order: `c.dispute DESC, c.id DESC`, after: condition };
}

/** The statement of one page, with what the look-ups found (see comparisonPageQuery in repositories/explorer.ts). */
function comparisonPage(r: ComparisonPageRequest, found: LookedUp): { sql: string; params: unknown[] } {
  const p = new Params();
  const campaign = p.add(r.campaignId, 'uuid');
  const source = comparisonSource(campaign, r.filters.pair, found, p);
  const where = [`c."campaignId" = ${campaign}`, publishedImport('c'), ...filterConditions(campaign, r.filters, found, p)];
  const order = keyset(r.sort, r.after, p);
  if (order.after) where.push(order.after);
  // The page's comparisons first, then their prompt and responses: the filters are on the comparison alone, and
  // joined before the sort, a rare pair's 1,300 comparisons fetched 4,000 rows from disk for a page of 50.
  const sql = `SELECT ${SUMMARY_COLUMNS} FROM (
    SELECT c.* FROM ${source}
    WHERE ${where.join('\n      AND ')}
    ORDER BY ${order.order} LIMIT ${p.add(r.limit, 'int')}) c ${SUMMARY_JOINS}
    ORDER BY ${order.order}`;
  return { sql, params: p.values };
}

export const EXPLORER_SQL = {
  comparisonPage,

  /** Up to $3 (int) responses of model $2 (text) in campaign $1 (uuid); ids. */
  modelResponses: `SELECT r.id FROM "Response" r WHERE r."campaignId" = $1::uuid AND r.model = $2::text LIMIT $3::int`,

  /** How many comparisons of campaign $1 (uuid) are of the model pair $2, $3 (text) in either order, counting up to $4 (int): the pair index alone. */
  pairComparisons: `SELECT count(*)::int AS n FROM (SELECT 1 FROM "Comparison" c WHERE c."campaignId" = $1::uuid AND ${PAIR_MATCH('c', '$2::text', '$3::text')} LIMIT $4::int) x`,

  /** Up to $2 (int) comparisons of campaign $1 (uuid) with a standing judgment carrying a rationale; ids. */
  rationaleComparisons: `SELECT DISTINCT j."comparisonId" AS id FROM "Judgment" j WHERE j."campaignId" = $1::uuid AND ${WITH_RATIONALE} LIMIT $2::int`,

  /** Up to $3 (int) prompts of campaign $1 (uuid) whose text matches the LIKE pattern $2 (likePattern(text)); ids. */
  textPrompts: `${TEXT_MATCH('$1::uuid', '$2::text')} LIMIT $3::int`,

  /** Comparison $1 (int) of a published import: the summary columns, campaignId, the prompt's context and both responses' content. */
  comparisonDetail: `SELECT ${SUMMARY_COLUMNS}, c."campaignId", p.context, ra.content AS "contentA", rb.content AS "contentB"
     FROM "Comparison" c ${SUMMARY_JOINS}
     WHERE c.id = $1::int AND ${publishedImport('c')}`,

  /** Every judgment of comparison $1 (int), undone ones too, oldest first, with its rater's name and exclusion. */
  judgmentsOfComparison: `SELECT j.id, j."raterId", u.name AS "raterName", j."leftIsA", j.choice::text AS choice, j.strength, j.criteria, j.rationale,
       j."timeMs", j."guidelineVersion", j."isGold", j."createdAt", j."undoneAt", coalesce(m.excluded, false) AS excluded
     FROM "Judgment" j JOIN "User" u ON u.id = j."raterId"
     LEFT JOIN "CampaignMember" m ON m."campaignId" = j."campaignId" AND m."userId" = j."raterId"
     WHERE j."comparisonId" = $1::int ORDER BY j."createdAt", j.id`,

  /** Every flag of comparison $1 (int), newest first, with its rater's name. */
  flagsOfComparison: `SELECT f.id, f."raterId", u.name AS "raterName", f.reason::text AS reason, f.target::text AS target, f.note, f."createdAt", f."dismissedAt"
     FROM "Flag" f JOIN "User" u ON u.id = f."raterId"
     WHERE f."comparisonId" = $1::int ORDER BY f."createdAt" DESC, f.id DESC`,
} as const;
