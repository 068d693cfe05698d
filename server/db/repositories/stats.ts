// The stats endpoint's reads: counts aggregated in SQL, and per-judgment figures packed as compact text lists.
//
// A judgment is "standing" when not undone; "counted" when standing, its rater not excluded, and among the
// k earliest such judgments of its comparison (k = target; every counted gold judgment counts). Rows of
// imports that are not PUBLISHED are invisible.
import { Prisma } from '../database';
import type { Db } from './campaigns';
import { publishedImportFilter } from './imports';

/** Canonical choices in the order of their codes in packed judgment lists. */
export const CHOICE_CODES = ['A', 'B', 'TIE', 'BOTH_BAD'] as const;
/** Code of a missing choice (a judgment without an answer for the requested criterion) or of no gold answer. */
export const NO_CHOICE = 4;

/**
 * Standing judgments of the campaign with their comparison and rank among the standing judgments of
 * raters not excluded. With `criterion`, choice and strength come from that criterion's answer (null
 * when the judgment has none).
 */
function standingJudgments(campaignId: string, criterion: string | null): Prisma.Sql {
  const choice = criterion === null ? Prisma.sql`j."choice"::text` : Prisma.sql`j."criteria" -> ${criterion}::text ->> 'choice'`;
  const strength = criterion === null ? Prisma.sql`j."strength"` : Prisma.sql`(j."criteria" -> ${criterion}::text ->> 'strength')::int`;
  return Prisma.sql`
    standing AS (
      SELECT j."id", j."comparisonId", j."raterId", j."assignmentId", j."timeMs", j."createdAt",
        ${choice} AS "choice", ${strength} AS "strength",
        c."target", c."isGold", c."goldChoice"::text AS "goldChoice", c."responseAId", c."responseBId",
        COALESCE(m."excluded", false) AS "excluded",
        row_number() OVER (PARTITION BY j."comparisonId", COALESCE(m."excluded", false) ORDER BY j."createdAt", j."id") AS "rank"
      FROM "Judgment" j
      JOIN "Comparison" c ON c."id" = j."comparisonId"
      LEFT JOIN "CampaignMember" m ON m."campaignId" = j."campaignId" AND m."userId" = j."raterId"
      WHERE j."campaignId" = ${campaignId}::uuid AND j."undoneAt" IS NULL AND ${publishedImportFilter('c')}
    ),
    counted AS (
      SELECT * FROM standing WHERE NOT "excluded" AND ("isGold" OR "rank" <= "target")
    )`;
}

export interface ProgressRow {
  comparisons: number;
  target: number;
  complete: number;
  judgments: number;
  goldJudgments: number;
  surplus: number;
  lastHour: number;
}

export async function readProgress(db: Db, campaignId: string, since: Date): Promise<ProgressRow> {
  const rows = await db.$queryRaw<ProgressRow[]>`
    WITH ${standingJudgments(campaignId, null)},
    per_comparison AS (
      SELECT "comparisonId", count(*) AS n, min("target") AS target FROM counted WHERE NOT "isGold" GROUP BY "comparisonId"
    )
    SELECT
      (SELECT count(*)::int FROM "Comparison" c WHERE c."campaignId" = ${campaignId}::uuid AND NOT c."isGold" AND ${publishedImportFilter('c')}) AS "comparisons",
      (SELECT COALESCE(sum(c."target"), 0)::int FROM "Comparison" c WHERE c."campaignId" = ${campaignId}::uuid AND NOT c."isGold" AND ${publishedImportFilter('c')}) AS "target",
      (SELECT count(*)::int FROM per_comparison WHERE n >= target) AS "complete",
      (SELECT count(*)::int FROM counted WHERE NOT "isGold") AS "judgments",
      (SELECT count(*)::int FROM counted WHERE "isGold") AS "goldJudgments",
      (SELECT count(*)::int FROM standing WHERE NOT "excluded" AND NOT "isGold" AND "rank" > "target") AS "surplus",
      (SELECT count(*)::int FROM counted WHERE NOT "isGold" AND "createdAt" > ${since}) AS "lastHour"`;
  return rows[0]!;
}

/** Counted non-gold judgments per UTC day. */
export async function readJudgmentsPerDay(db: Db, campaignId: string): Promise<{ date: string; judgments: number }[]> {
  return db.$queryRaw`
    WITH ${standingJudgments(campaignId, null)}
    SELECT to_char("createdAt" AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS "date", count(*)::int AS "judgments"
    FROM counted WHERE NOT "isGold" GROUP BY 1 ORDER BY 1`;
}

export interface PairOutcomeRow {
  modelA: string;
  modelB: string;
  choice: string;
  n: number;
}

/** Counted non-gold judgments per (model of A, model of B, choice): the Bradley-Terry input. */
export async function readPairOutcomeCounts(db: Db, campaignId: string, criterion: string | null): Promise<PairOutcomeRow[]> {
  return db.$queryRaw<PairOutcomeRow[]>`
    WITH ${standingJudgments(campaignId, criterion)},
    by_responses AS (
      SELECT "responseAId", "responseBId", "choice", count(*) AS n
      FROM counted WHERE NOT "isGold" AND "choice" IS NOT NULL GROUP BY 1, 2, 3
    )
    SELECT ra."model" AS "modelA", rb."model" AS "modelB", b."choice", sum(b.n)::int AS "n"
    FROM by_responses b JOIN "Response" ra ON ra."id" = b."responseAId" JOIN "Response" rb ON rb."id" = b."responseBId"
    GROUP BY 1, 2, 3`;
}

/**
 * One rater's standing judgments as parallel comma-separated integer lists (compact to transfer and parse):
 * comparison ids; packed codes (choice + 5*gold + 25*strength + 200*leftIsA + 400*counted, choice and gold
 * coded by CHOICE_CODES with NO_CHOICE for none, strength 0 for none); time on task; lengths of A and B.
 */
export interface PackedRaterJudgments {
  raterId: string;
  comparisonIds: string;
  codes: string;
  timeMs: string;
  lengthA: string;
  lengthB: string;
}

export async function readPackedJudgments(db: Db, campaignId: string, criterion: string | null): Promise<PackedRaterJudgments[]> {
  const code = (column: Prisma.Sql) => Prisma.sql`COALESCE(array_position(ARRAY['A', 'B', 'TIE', 'BOTH_BAD'], ${column}) - 1, ${NO_CHOICE})`;
  return db.$queryRaw<PackedRaterJudgments[]>`
    WITH ${standingJudgments(campaignId, criterion)},
    lengths AS (
      SELECT r."id", char_length(r."content") AS n FROM "Response" r WHERE r."campaignId" = ${campaignId}::uuid
    ),
    packed AS (
      SELECT s."raterId", s."comparisonId", s."timeMs", la.n AS "lengthA", lb.n AS "lengthB",
        ${code(Prisma.sql`s."choice"`)} + 5 * ${code(Prisma.sql`s."goldChoice"`)} + 25 * COALESCE(s."strength", 0)
          + CASE WHEN a."leftIsA" THEN 200 ELSE 0 END
          + CASE WHEN NOT s."excluded" AND (s."isGold" OR s."rank" <= s."target") THEN 400 ELSE 0 END AS "code"
      FROM standing s
      JOIN "Assignment" a ON a."id" = s."assignmentId"
      JOIN lengths la ON la."id" = s."responseAId" JOIN lengths lb ON lb."id" = s."responseBId"
    )
    SELECT "raterId"::text AS "raterId",
      string_agg("comparisonId"::text, ',') AS "comparisonIds",
      string_agg("code"::text, ',') AS "codes",
      string_agg("timeMs"::text, ',') AS "timeMs",
      string_agg("lengthA"::text, ',') AS "lengthA",
      string_agg("lengthB"::text, ',') AS "lengthB"
    FROM packed GROUP BY "raterId"`;
}

export interface CampaignRaterRow {
  id: string;
  name: string;
  excluded: boolean;
  flags: number;
}

/** Members of the campaign and anyone else who judged in it, with their flag counts. */
export async function readCampaignRaters(db: Db, campaignId: string): Promise<CampaignRaterRow[]> {
  return db.$queryRaw<CampaignRaterRow[]>`
    WITH raters AS (
      SELECT "userId" AS id FROM "CampaignMember" WHERE "campaignId" = ${campaignId}::uuid
      UNION SELECT DISTINCT "raterId" FROM "Judgment" WHERE "campaignId" = ${campaignId}::uuid
    )
    SELECT u."id"::text AS "id", u."name", COALESCE(m."excluded", false) AS "excluded",
      (SELECT count(*)::int FROM "Flag" f WHERE f."campaignId" = ${campaignId}::uuid AND f."raterId" = u."id") AS "flags"
    FROM raters r JOIN "User" u ON u."id" = r.id
    LEFT JOIN "CampaignMember" m ON m."campaignId" = ${campaignId}::uuid AND m."userId" = u."id"
    ORDER BY u."name", u."id"`;
}
