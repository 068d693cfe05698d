// Imports: the Import row (status, progress), the staging of its rows in batches, publishing, and cleaning up.
// Rows of an import that is not PUBLISHED are invisible: every other query filters with publishedImportFilter.
import { Prisma, type PrismaClient } from '../database';

type Db = PrismaClient | Prisma.TransactionClient;

const ALIAS = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * SQL condition: the row aliased `alias` (a Prompt, Response or Comparison, which all carry
 * "importId") belongs to a published import. Use it in every query that reads those tables:
 * `WHERE c."campaignId" = ${id} AND ${publishedImportFilter('c')}`. Postgres plans it as a semi-join.
 */
export function publishedImportFilter(alias: string): Prisma.Sql {
  return Prisma.raw(publishedImportCondition(alias));
}

/** The same condition as SQL text, for the repositories that send SQL straight to pg or PGlite (rating, exports). */
export function publishedImportCondition(alias: string): string {
  if (!ALIAS.test(alias)) throw new Error(`publishedImportCondition: "${alias}" is not a plain SQL alias`);
  return `EXISTS (SELECT 1 FROM "Import" pi WHERE pi."id" = "${alias}"."importId" AND pi."status" = 'PUBLISHED')`;
}

/** The same condition for Prisma's query API: `where: { campaignId, ...publishedImportWhere }`. */
export const publishedImportWhere = { import: { status: 'PUBLISHED' } } as const satisfies Prisma.ComparisonWhereInput;

export interface ImportProgress {
  phase: string;
  bytes: number;
  records: number;
}

const importFields = {
  id: true,
  campaignId: true,
  format: true,
  fileName: true,
  status: true,
  phase: true,
  bytes: true,
  records: true,
  result: true,
  errors: true,
  createdAt: true,
  finishedAt: true,
  heartbeatAt: true,
} as const;

export function findImport(db: Db, id: string) {
  return db.import.findUnique({ where: { id }, select: importFields });
}

export type ImportRow = NonNullable<Awaited<ReturnType<typeof findImport>>>;

/**
 * A generation job keeps one import-like row per prompt (format GENERATION_FORMAT): its responses and
 * comparisons publish with it under the same visibility rule. Those rows are not uploads: they are left
 * out of the upload list, of the one-upload-at-a-time rule and of the abandoned-upload clean-up.
 */
export const GENERATION_FORMAT = 'generation';

export function findImports(db: Db, campaignId: string) {
  return db.import.findMany({ where: { campaignId, format: { not: GENERATION_FORMAT } }, select: importFields, orderBy: { createdAt: 'desc' } });
}

export function findRunningImport(db: Db, campaignId: string) {
  return db.import.findFirst({ where: { campaignId, status: 'RUNNING', format: { not: GENERATION_FORMAT } }, select: { id: true } });
}

export async function insertImport(
  db: Db,
  row: { id: string; campaignId: string; createdById: string | null; format: string; fileName: string | null; at: Date },
): Promise<void> {
  await db.import.create({
    data: { id: row.id, campaignId: row.campaignId, createdById: row.createdById, format: row.format, fileName: row.fileName, heartbeatAt: row.at, createdAt: row.at },
  });
}

/** Progress and heartbeat, each its own tiny statement so that readers see it at once. */
export async function saveProgress(db: Db, id: string, progress: Partial<ImportProgress>, at: Date): Promise<void> {
  await db.import.update({
    where: { id },
    data: { ...progress, ...(progress.bytes === undefined ? {} : { bytes: BigInt(progress.bytes) }), heartbeatAt: at },
  });
}

/** Imports whose owner stopped beating (a crashed or killed process), and failed ones not yet cleaned up. */
export function findAbandonedImports(db: Db, staleBefore: Date) {
  return db.import.findMany({
    where: {
      heartbeatAt: { lt: staleBefore },
      format: { not: GENERATION_FORMAT },
      OR: [{ status: 'RUNNING' }, { status: 'FAILED', phase: 'cleaning' }],
    },
    select: { id: true, status: true },
  });
}

/** The one step that makes every staged row visible; false when the import is no longer RUNNING. */
/** Publishes the import's rows; its format becomes the one the file was read as. */
export async function publishImport(db: Db, id: string, result: { format: string }, at: Date): Promise<boolean> {
  const { count } = await db.import.updateMany({
    where: { id, status: 'RUNNING' },
    data: { status: 'PUBLISHED', phase: 'published', format: result.format, result: result as Prisma.InputJsonValue, finishedAt: at, heartbeatAt: at },
  });
  return count === 1;
}

/**
 * Refreshes the planner's statistics after an import: the rater's claim query picks a plan from them,
 * and with stale ones it sorted every candidate comparison (50 ms instead of 0.5 ms per claim).
 */
export async function analyzeImportedTables(db: Db): Promise<void> {
  await db.$executeRawUnsafe('ANALYZE "Comparison", "Response", "Prompt", "Import"');
}

export async function markImportFailed(db: Db, id: string, errors: unknown, at: Date): Promise<void> {
  await db.import.updateMany({
    where: { id, status: { not: 'PUBLISHED' } },
    data: {
      status: 'FAILED',
      phase: 'cleaning',
      finishedAt: at,
      heartbeatAt: at,
      ...(errors === undefined ? {} : { errors: errors as Prisma.InputJsonValue }),
    },
  });
}

export async function markImportCleaned(db: Db, id: string): Promise<void> {
  await db.import.update({ where: { id }, data: { phase: 'failed' } });
}

/**
 * Deletes one batch of an unpublished import's rows (comparisons first, then responses, then prompts);
 * returns how many went, 0 when nothing is left. Short statements, so other requests interleave.
 */
export async function deleteImportRowsBatch(db: Db, importId: string, batchSize: number): Promise<number> {
  for (const table of ['Comparison', 'Response', 'Prompt'] as const) {
    const name = Prisma.raw(`"${table}"`);
    const deleted = await db.$executeRaw`
      DELETE FROM ${name} WHERE "id" IN (SELECT "id" FROM ${name} WHERE "importId" = ${importId}::uuid LIMIT ${batchSize})`;
    if (deleted > 0) return deleted;
  }
  return 0;
}

/** One batch of staged rows, as parallel columns (JSON columns as text). */
export interface StagingBatch {
  prompts: { key: string[]; externalId: (string | null)[]; context: string[]; metadata: (string | null)[] };
  responses: { promptKey: string[]; key: string[]; model: string[]; externalId: (string | null)[]; content: string[]; metadata: (string | null)[] };
  comparisons: {
    promptKey: string[];
    /** Response keys (Response.key) within the prompt. */
    keyA: string[];
    keyB: string[];
    isGold: boolean[];
    goldChoice: (string | null)[];
    referenceChoice: (string | null)[];
    referenceSource: (string | null)[];
  };
}

/**
 * Staging a batch is three statements, each its own short transaction, called in this order: prompts,
 * responses (they find their prompt by key), comparisons (they find their responses by prompt key and
 * response key), so the batch needs no ids from the database. A crash in between leaves rows of a RUNNING
 * import, which are invisible and cleaned up as abandoned. Existing rows win (ON CONFLICT DO NOTHING):
 * a prompt is (campaign, key), a response (prompt, key), a comparison (response A, response B), so
 * importing the same file again adds nothing. Each returns the number of new rows.
 */
export async function stagePrompts(prisma: PrismaClient, campaignId: string, importId: string, { prompts: p }: StagingBatch): Promise<number> {
  return prisma.$executeRaw`
    INSERT INTO "Prompt" ("campaignId", "key", "externalId", "context", "metadata", "importId")
    SELECT ${campaignId}::uuid, u.key, u.external_id, u.context::jsonb, u.metadata::jsonb, ${importId}::uuid
    FROM unnest(${p.key}::text[], ${p.externalId}::text[], ${p.context}::text[], ${p.metadata}::text[]) AS u(key, external_id, context, metadata)
    ON CONFLICT ("campaignId", "key") DO NOTHING`;
}

export async function stageResponses(prisma: PrismaClient, campaignId: string, importId: string, { responses: r }: StagingBatch): Promise<number> {
  return prisma.$executeRaw`
    INSERT INTO "Response" ("campaignId", "promptId", "key", "model", "externalId", "content", "metadata", "importId")
    SELECT ${campaignId}::uuid, p."id", u.response_key, u.model, u.external_id, u.content, u.metadata::jsonb, ${importId}::uuid
    FROM unnest(${r.promptKey}::text[], ${r.key}::text[], ${r.model}::text[], ${r.externalId}::text[], ${r.content}::text[], ${r.metadata}::text[])
      AS u(key, response_key, model, external_id, content, metadata)
    JOIN "Prompt" p ON p."campaignId" = ${campaignId}::uuid AND p."key" = u.key
    ON CONFLICT ("promptId", "key") DO NOTHING`;
}

/** A comparison's target is read from the campaign as it is inserted (gold: 0), so a concurrent edit of k is not lost. */
export async function stageComparisons(
  prisma: PrismaClient,
  campaignId: string,
  importId: string,
  { comparisons: c }: StagingBatch,
): Promise<{ comparisons: number; gold: number }> {
  const [counts] = await prisma.$queryRaw<{ comparisons: number; gold: number }[]>`
    WITH inserted AS (
      INSERT INTO "Comparison" ("campaignId", "promptId", "responseAId", "responseBId", "target", "isGold", "goldChoice",
        "referenceChoice", "referenceSource", "importId")
      SELECT ${campaignId}::uuid, p."id", ra."id", rb."id", CASE WHEN u.is_gold THEN 0 ELSE cp."votesPerComparison" END, u.is_gold,
        u.gold_choice::"Choice", u.reference_choice::"Choice", u.reference_source, ${importId}::uuid
      FROM unnest(${c.promptKey}::text[], ${c.keyA}::text[], ${c.keyB}::text[], ${c.isGold}::boolean[], ${c.goldChoice}::text[],
          ${c.referenceChoice}::text[], ${c.referenceSource}::text[])
        AS u(key, key_a, key_b, is_gold, gold_choice, reference_choice, reference_source)
      JOIN "Campaign" cp ON cp."id" = ${campaignId}::uuid
      JOIN "Prompt" p ON p."campaignId" = cp."id" AND p."key" = u.key
      JOIN "Response" ra ON ra."promptId" = p."id" AND ra."key" = u.key_a
      JOIN "Response" rb ON rb."promptId" = p."id" AND rb."key" = u.key_b
      ON CONFLICT ("responseAId", "responseBId") DO NOTHING
      RETURNING "isGold"
    )
    SELECT (count(*) FILTER (WHERE NOT "isGold"))::int AS "comparisons", (count(*) FILTER (WHERE "isGold"))::int AS "gold" FROM inserted`;
  return counts ?? { comparisons: 0, gold: 0 };
}

/** What a campaign already holds under these prompt keys (any import, staged or published), for a dry run to count only what is new. */
export async function existingRowKeys(db: Db, campaignId: string, promptKeys: string[]) {
  const [prompts, responses, comparisons] = await Promise.all([
    db.$queryRaw<{ key: string }[]>`SELECT "key" FROM "Prompt" WHERE "campaignId" = ${campaignId}::uuid AND "key" = ANY(${promptKeys}::text[])`,
    db.$queryRaw<{ prompt: string; key: string }[]>`
      SELECT p."key" AS "prompt", r."key" FROM "Response" r JOIN "Prompt" p ON p."id" = r."promptId"
      WHERE p."campaignId" = ${campaignId}::uuid AND p."key" = ANY(${promptKeys}::text[])`,
    db.$queryRaw<{ prompt: string; a: string; b: string }[]>`
      SELECT p."key" AS "prompt", ra."key" AS "a", rb."key" AS "b" FROM "Comparison" c
      JOIN "Prompt" p ON p."id" = c."promptId" JOIN "Response" ra ON ra."id" = c."responseAId" JOIN "Response" rb ON rb."id" = c."responseBId"
      WHERE p."campaignId" = ${campaignId}::uuid AND p."key" = ANY(${promptKeys}::text[])`,
  ]);
  return {
    prompts: prompts.map((row) => row.key),
    responses: responses.map((row) => [row.prompt, row.key] as const),
    comparisons: comparisons.map((row) => [row.prompt, row.a, row.b] as const),
  };
}
