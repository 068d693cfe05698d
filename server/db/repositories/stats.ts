// The stats endpoint's reads: one pass over the campaign's responses, one over its comparisons and one over
// its standing judgments, each column packed as one bytea of big-endian int4 values (int4send): no text to
// format, transfer or parse.
//
// A judgment is "standing" when not undone; "counted" when standing, its rater not excluded, and among the
// k earliest such judgments of its comparison (k = target; every counted gold judgment counts). Rows of
// imports that are not PUBLISHED are invisible. Counting is done in memory from these lists: only the rare
// comparisons holding more than k judgments (after a re-inclusion) are ranked, by readSurplusJudgments.
import { Prisma } from '../database';
import type { Db } from './campaigns';
import { publishedImportFilter } from './imports';

/** Canonical choices in the order of their codes in packed lists. */
export const CHOICE_CODES = ['A', 'B', 'TIE', 'BOTH_BAD'] as const;
/** Code of a missing choice (a judgment without an answer for the requested criterion) or of no gold answer. */
export const NO_CHOICE = 4;

const choiceCode = (column: Prisma.Sql) =>
  Prisma.sql`(CASE ${column} WHEN 'A' THEN 0 WHEN 'B' THEN 1 WHEN 'TIE' THEN 2 WHEN 'BOTH_BAD' THEN 3 ELSE ${NO_CHOICE} END)`;

/** A column of int4 values, big-endian, 4 bytes each (as int4send writes them). */
export type PackedInts = Uint8Array;

const packed = (value: Prisma.Sql) => Prisma.sql`COALESCE(string_agg(int4send((${value})::int), ''::bytea), ''::bytea)`;

/**
 * The campaign's published comparisons that are not removed (their judgments leave the stats with them) as parallel columns (item c of each describes comparison c):
 * ids, k (target), gold answer code (CHOICE_CODES, NO_CHOICE when not gold) and the ids of responses A and B.
 */
export interface PackedComparisons {
  ids: PackedInts;
  targets: PackedInts;
  gold: PackedInts;
  responseA: PackedInts;
  responseB: PackedInts;
  /** Sources of reference labels (sorted): `reference` codes index into it. */
  referenceSources: string[];
  /** Reference label: source index * 8 + choice code (CHOICE_CODES), or -1 when the comparison has none. */
  reference: PackedInts;
}

export async function readPackedComparisons(db: Db, campaignId: string): Promise<PackedComparisons> {
  const rows = await db.$queryRaw<PackedComparisons[]>`
    WITH sources AS (
      SELECT s, (row_number() OVER (ORDER BY s) - 1)::int AS n FROM (
        SELECT DISTINCT "referenceSource" AS s FROM "Comparison"
        WHERE "campaignId" = ${campaignId}::uuid AND "referenceChoice" IS NOT NULL AND "referenceSource" IS NOT NULL) d
    )
    SELECT
      COALESCE((SELECT array_agg(s ORDER BY n) FROM sources), '{}') AS "referenceSources",
      ${packed(Prisma.sql`CASE WHEN c."referenceChoice" IS NULL THEN -1
        ELSE 8 * COALESCE(src.n, 0) + ${choiceCode(Prisma.sql`c."referenceChoice"::text`)} END`)} AS "reference",
      ${packed(Prisma.sql`c."id"`)} AS "ids",
      ${packed(Prisma.sql`c."target"`)} AS "targets",
      ${packed(Prisma.sql`CASE WHEN c."isGold" THEN ${choiceCode(Prisma.sql`c."goldChoice"::text`)} ELSE ${NO_CHOICE} END`)} AS "gold",
      ${packed(Prisma.sql`c."responseAId"`)} AS "responseA",
      ${packed(Prisma.sql`c."responseBId"`)} AS "responseB"
    FROM "Comparison" c LEFT JOIN sources src ON src.s = c."referenceSource"
    WHERE c."campaignId" = ${campaignId}::uuid AND NOT c."removed" AND ${publishedImportFilter('c')}`;
  return rows[0]!;
}

/**
 * The campaign's published responses as parallel columns: ids, the model as an index into `models`
 * (sorted by name), and the length of the content in characters.
 */
export interface PackedResponses {
  models: string[];
  ids: PackedInts;
  model: PackedInts;
  length: PackedInts;
}

export async function readPackedResponses(db: Db, campaignId: string): Promise<PackedResponses> {
  const rows = await db.$queryRaw<PackedResponses[]>`
    WITH responses AS (
      SELECT r."id", r."model", char_length(r."content") AS "length" FROM "Response" r
      WHERE r."campaignId" = ${campaignId}::uuid AND ${publishedImportFilter('r')}
    ), models AS (
      SELECT "model", (row_number() OVER (ORDER BY "model") - 1)::int AS n FROM (SELECT DISTINCT "model" FROM responses) d
    )
    SELECT
      COALESCE((SELECT array_agg("model" ORDER BY n) FROM models), '{}') AS "models",
      ${packed(Prisma.sql`r."id"`)} AS "ids",
      ${packed(Prisma.sql`m.n`)} AS "model",
      ${packed(Prisma.sql`r."length"`)} AS "length"
    FROM responses r JOIN models m ON m."model" = r."model"`;
  return rows[0]!;
}

/**
 * One rater's standing judgments as parallel columns: comparison ids; time on task in ms; and
 * day * 256 + code, where day is the UTC day of submission (days since 1970-01-01) and code
 * choice + 5 * leftIsA + 10 * (submitted after `since`) + 20 * strength (choice coded by CHOICE_CODES with
 * NO_CHOICE for none, strength 0 for none). With `criterion`, choice and strength come from that criterion's answer.
 */
export interface PackedRaterJudgments {
  raterId: string;
  comparisonIds: PackedInts;
  timeMs: PackedInts;
  dayCodes: PackedInts;
}

export async function readPackedJudgments(db: Db, campaignId: string, criterion: string | null, since: Date): Promise<PackedRaterJudgments[]> {
  const choice = criterion === null ? Prisma.sql`j."choice"` : Prisma.sql`j."criteria" -> ${criterion}::text ->> 'choice'`;
  const strength = criterion === null ? Prisma.sql`j."strength"` : Prisma.sql`(j."criteria" -> ${criterion}::text ->> 'strength')::int`;
  return db.$queryRaw<PackedRaterJudgments[]>`
    SELECT j."raterId"::text AS "raterId",
      ${packed(Prisma.sql`j."comparisonId"`)} AS "comparisonIds",
      ${packed(Prisma.sql`j."timeMs"`)} AS "timeMs",
      ${packed(Prisma.sql`((j."createdAt" AT TIME ZONE 'UTC')::date - DATE '1970-01-01') * 256 + ${choiceCode(choice)}
        + CASE WHEN j."leftIsA" THEN 5 ELSE 0 END + CASE WHEN j."createdAt" > ${since} THEN 10 ELSE 0 END + 20 * COALESCE(${strength}, 0)`)} AS "dayCodes"
    FROM "Judgment" j
    WHERE j."campaignId" = ${campaignId}::uuid AND j."undoneAt" IS NULL
    GROUP BY j."raterId"`;
}

/**
 * The standing judgments beyond the k earliest of raters not excluded, on the given (crowded, non-gold)
 * comparisons, as (comparison, rater): a rater has at most one standing judgment per comparison.
 */
export async function readSurplusJudgments(db: Db, comparisonIds: readonly number[]): Promise<{ comparisonId: number; raterId: string }[]> {
  if (comparisonIds.length === 0) return [];
  return db.$queryRaw`
    SELECT "comparisonId", "raterId"::text AS "raterId" FROM (
      SELECT j."comparisonId", j."raterId", c."target",
        row_number() OVER (PARTITION BY j."comparisonId" ORDER BY j."createdAt", j."id") AS "rank"
      FROM "Judgment" j
      JOIN "Comparison" c ON c."id" = j."comparisonId"
      LEFT JOIN "CampaignMember" m ON m."campaignId" = j."campaignId" AND m."userId" = j."raterId"
      WHERE j."comparisonId" = ANY(${comparisonIds as number[]}::int[]) AND j."undoneAt" IS NULL AND NOT COALESCE(m."excluded", false)
    ) ranked
    WHERE "rank" > "target"`;
}

export interface CampaignRaterRow {
  id: string;
  name: string;
  excluded: boolean;
  flags: number;
}

/** Members of the campaign and the given users who judged in it, with their flag counts. */
export async function readCampaignRaters(db: Db, campaignId: string, judgedBy: readonly string[]): Promise<CampaignRaterRow[]> {
  return db.$queryRaw<CampaignRaterRow[]>`
    WITH raters AS (
      SELECT "userId" AS id FROM "CampaignMember" WHERE "campaignId" = ${campaignId}::uuid
      UNION SELECT unnest(${judgedBy as string[]}::uuid[])
    )
    SELECT u."id"::text AS "id", u."name", COALESCE(m."excluded", false) AS "excluded",
      (SELECT count(*)::int FROM "Flag" f WHERE f."campaignId" = ${campaignId}::uuid AND f."raterId" = u."id") AS "flags"
    FROM raters r JOIN "User" u ON u."id" = r.id
    LEFT JOIN "CampaignMember" m ON m."campaignId" = ${campaignId}::uuid AND m."userId" = u."id"
    ORDER BY u."name", u."id"`;
}
