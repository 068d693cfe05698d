// The stats endpoint's reads: one pass over the campaign's responses, one over its comparisons and one over
// its standing judgments, each column packed as one bytea of big-endian int4 values (int4send): no text to
// format, transfer or parse. Counting (counted-judgments.ts) is done in memory from these lists: only the
// rare comparisons holding more than k counting judgments (after a re-inclusion) are ranked, by `surplus`.
import { countingRank, withinTarget } from './counted-judgments';
import { publishedImport } from './published-import';

/** Canonical choices in the order of their codes in packed lists. */
export const CHOICE_CODES = ['A', 'B', 'TIE', 'BOTH_BAD'] as const;
/** Code of a missing choice (a judgment without an answer for the requested criterion) or of no gold answer. */
export const NO_CHOICE = 4;

const choiceCode = (column: string) => `(CASE ${column} WHEN 'A' THEN 0 WHEN 'B' THEN 1 WHEN 'TIE' THEN 2 WHEN 'BOTH_BAD' THEN 3 ELSE ${NO_CHOICE} END)`;

/** A column of int4 values packed into one bytea. */
const packed = (value: string) => `COALESCE(string_agg(int4send((${value})::int), ''::bytea), ''::bytea)`;

/**
 * The judgment's choice, strength and ranking (with its text): its own, or with a criterion ($3) that criterion's
 * answer, whose ranking is only in jsonb.
 */
const answer = (criterion: boolean) =>
  criterion
    ? {
        choice: `j."criteria" -> $3::text ->> 'choice'`,
        strength: `(j."criteria" -> $3::text ->> 'strength')::int`,
        ranking: `j."criteria" -> $3::text -> 'ranking'`,
        rankingText: `(j."criteria" -> $3::text -> 'ranking')::text`,
        allBad: 'false',
      }
    : { choice: 'j."choice"', strength: 'j."strength"', ranking: 'j.ranking', rankingText: 'j."rankingText"', allBad: 'j."allBad"' };

/**
 * One row per standing judgment. A ranking judgment also adds its ranking to `rankings` (flag 2 in `gold`), as text:
 * `!` when all bad, the ranking's JSON (groups of slots, best first), the slot of each card as shown (digits), `;`.
 * The reader derives its C(K,2) pairs (ranking-pairs.ts): deriving them here made 1.5 M rows of 250,000 rankings.
 * The ranking's text and the shown order are stored with the judgment: casting the jsonb to text was a fifth of this
 * read, joining Assignment for the order half of it.
 */
const judgments = (criterion: boolean) => {
  const { choice, strength, ranking, rankingText, allBad } = answer(criterion);
  return `
    SELECT j."raterId"::text AS "raterId",
      ${packed('j."comparisonId"')} AS "comparisonIds",
      ${packed('j."timeMs"')} AS "timeMs",
      ${packed(`floor(extract(epoch FROM j."createdAt") / 3600)::int * 256 + ${choiceCode(choice)} + CASE WHEN j."leftIsA" THEN 5 ELSE 0 END
        + CASE WHEN j."createdAt" > $2::timestamptz THEN 10 ELSE 0 END + 20 * COALESCE(${strength}, 0)`)} AS "hourCodes",
      ${packed(`CASE WHEN j."isGold" THEN 1 ELSE 0 END + CASE WHEN ${ranking} IS NOT NULL THEN 2 ELSE 0 END`)} AS "gold",
      COALESCE(string_agg(CASE WHEN ${allBad} THEN '!' ELSE '' END || ${rankingText} || array_to_string(j."shownOrder", '') || ';', '')
        FILTER (WHERE ${ranking} IS NOT NULL), '') AS "rankings"
    FROM "Judgment" j
    WHERE j."campaignId" = $1::uuid AND j."undoneAt" IS NULL
    GROUP BY j."raterId"`;
};

/** A ranking task: its pairs are derived by the reader. */
const ranked = 'cardinality(c.slots) > 0';

export const STATS_SQL = {
  /**
   * The campaign's published comparisons that are not removed (their judgments leave the stats with them)
   * as parallel columns: ids, k (target), gold answer code (CHOICE_CODES, NO_CHOICE when not gold), the
   * ids of responses A and B, the reference label (source index into `referenceSources` * 8 + choice
   * code, -1 for none) and the number of slots (0 for a pair). A ranking task (slots) also adds to `rankingTasks`
   * its slots, gold and reference rankings (parseRankingTasks); its gold code is 0 when it is gold and its reference
   * the source's alone (source * 8): the reader derives its C(K,2) pairs and their answers. $1 campaign.
   */
  comparisons: `
    WITH sources AS (
      SELECT s, (row_number() OVER (ORDER BY s) - 1)::int AS n FROM (
        SELECT DISTINCT "referenceSource" AS s FROM "Comparison"
        WHERE "campaignId" = $1::uuid AND ("referenceChoice" IS NOT NULL OR "referenceRanking" IS NOT NULL) AND "referenceSource" IS NOT NULL) d
    )
    SELECT
      COALESCE((SELECT array_agg(s ORDER BY n) FROM sources), '{}') AS "referenceSources",
      ${packed(`CASE WHEN ${ranked} THEN (CASE WHEN c."referenceRanking" IS NULL THEN -1 ELSE 8 * COALESCE(src.n, 0) END)
        WHEN c."referenceChoice" IS NULL THEN -1 ELSE 8 * COALESCE(src.n, 0) + ${choiceCode('c."referenceChoice"::text')} END`)} AS "reference",
      ${packed('c."id"')} AS "ids",
      ${packed('c."target"')} AS "targets",
      ${packed(`CASE WHEN NOT c."isGold" THEN ${NO_CHOICE} WHEN ${ranked} THEN 0 ELSE ${choiceCode('c."goldChoice"::text')} END`)} AS "gold",
      ${packed('c."responseAId"')} AS "responseA",
      ${packed('c."responseBId"')} AS "responseB",
      ${packed(`CASE WHEN ${ranked} THEN ${NO_CHOICE} ELSE ${choiceCode('c."adjudicatedChoice"::text')} END`)} AS "adjudicated",
      ${packed('COALESCE(cardinality(c.slots), 0)')} AS "slotCounts",
      COALESCE(string_agg(array_to_string(c.slots, ',') || '|' || COALESCE(c."goldRanking"::text, '') || '|' || COALESCE(c."referenceRanking"::text, '') || ';', '')
        FILTER (WHERE ${ranked}), '') AS "rankingTasks"
    FROM "Comparison" c LEFT JOIN sources src ON src.s = c."referenceSource"
    WHERE c."campaignId" = $1::uuid AND NOT c."removed" AND ${publishedImport('c')}`,

  /**
   * The campaign's published responses, one row per model (sorted by name): the model, the ids of its responses and
   * the length of each one's content in characters, as parallel columns. (One pass over the responses: numbering the
   * models in a CTE read twice spilled its 330,000 rows to disk.) $1 campaign.
   */
  responses: `
    SELECT r."model", ${packed('r."id"')} AS "ids", ${packed('char_length(r."content")')} AS "lengths"
    FROM "Response" r
    WHERE r."campaignId" = $1::uuid AND ${publishedImport('r')}
    GROUP BY r."model"
    ORDER BY r."model"`,

  /**
   * Each rater's standing judgments as parallel columns: comparison ids; time on task in ms; and
   * hour * 256 + code, where hour is the hour of submission (whole hours since 1970-01-01T00:00Z; fits
   * int4 until the year 2927) and code
   * choice + 5 * leftIsA + 10 * (submitted after $2) + 20 * strength (choice coded by CHOICE_CODES with
   * NO_CHOICE for none, strength 0 for none); gold + 2 * ranked; and the rankings of the ranked ones, in
   * order (see `judgments` above). $1 campaign, $2 since; `byCriterion`: also $3, the criterion whose answer
   * gives choice, strength and ranking.
   */
  judgments: judgments(false),
  judgmentsByCriterion: judgments(true),
  /**
   * Sent with the BEGIN of the judgments read: room for its aggregation by rater (13 MB at 250,000 rankings), which at
   * the default 4 MB (8 MB for a hash) spilled 19 MB to disk in 5 batches, a third of the read.
   */
  judgmentsMemory: `SET LOCAL work_mem = '64MB'`,

  /**
   * The counting judgments beyond the k earliest on the given comparisons (crowded, non-gold), as
   * (comparison, rater): a rater has at most one standing judgment per comparison. $1 comparison ids.
   */
  surplus: `
    SELECT "comparisonId", "raterId"::text AS "raterId" FROM (
      SELECT j."comparisonId", j."raterId", c."target", ${countingRank('j')} AS "rank"
      FROM "Judgment" j
      JOIN "Comparison" c ON c."id" = j."comparisonId"
      LEFT JOIN "CampaignMember" m ON m."campaignId" = j."campaignId" AND m."userId" = j."raterId"
      WHERE j."comparisonId" = ANY($1::int[]) AND j."undoneAt" IS NULL AND NOT COALESCE(m."excluded", false) AND NOT j."isGold"
    ) ranked
    WHERE NOT ${withinTarget('"rank"', '"target"')}`,

  /** Members of the campaign and the users in $2 (uuid[]) who judged in it, with their flag counts. $1 campaign. */
  raters: `
    WITH raters AS (
      SELECT "userId" AS id FROM "CampaignMember" WHERE "campaignId" = $1::uuid
      UNION SELECT unnest($2::uuid[])
    )
    SELECT u."id"::text AS "id", u."name", COALESCE(m."excluded", false) AS "excluded",
      (SELECT count(*)::int FROM "Flag" f WHERE f."campaignId" = $1::uuid AND f."raterId" = u."id") AS "flags"
    FROM raters r JOIN "User" u ON u."id" = r.id
    LEFT JOIN "CampaignMember" m ON m."campaignId" = $1::uuid AND m."userId" = u."id"
    ORDER BY u."name", u."id"`,
} as const;
