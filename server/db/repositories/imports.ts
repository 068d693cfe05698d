// Imports: the Import row (status, progress), the staging of its rows in batches, publishing, and cleaning up.
// Rows of an import that is not PUBLISHED are invisible: every other query filters with publishedImport (sql/published-import.ts).
import type { Prisma } from '../database';
import type { Db } from '../handle';
import { IMPORT_SQL } from '../sql/imports';

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
  return db.prisma.import.findUnique({ where: { id }, select: importFields });
}

export type ImportRow = NonNullable<Awaited<ReturnType<typeof findImport>>>;

/**
 * A generation job keeps one import-like row per prompt (format GENERATION_FORMAT): its responses and
 * comparisons publish with it under the same visibility rule. Those rows are not uploads: they are left
 * out of the upload list, of the one-upload-at-a-time rule and of the abandoned-upload clean-up.
 */
export const GENERATION_FORMAT = 'generation';

export function findImports(db: Db, campaignId: string) {
  return db.prisma.import.findMany({ where: { campaignId, format: { not: GENERATION_FORMAT } }, select: importFields, orderBy: { createdAt: 'desc' } });
}

export function findRunningImport(db: Db, campaignId: string) {
  return db.prisma.import.findFirst({ where: { campaignId, status: 'RUNNING', format: { not: GENERATION_FORMAT } }, select: { id: true } });
}

export async function insertImport(
  db: Db,
  row: { id: string; campaignId: string; createdById: string | null; format: string; fileName: string | null; at: Date },
): Promise<void> {
  await db.prisma.import.create({
    data: { id: row.id, campaignId: row.campaignId, createdById: row.createdById, format: row.format, fileName: row.fileName, heartbeatAt: row.at, createdAt: row.at },
  });
}

/** Progress and heartbeat, each its own tiny statement so that readers see it at once. */
export async function saveProgress(db: Db, id: string, progress: Partial<ImportProgress>, at: Date): Promise<void> {
  await db.prisma.import.update({
    where: { id },
    data: { ...progress, ...(progress.bytes === undefined ? {} : { bytes: BigInt(progress.bytes) }), heartbeatAt: at },
  });
}

/** Imports whose owner stopped beating (a crashed or killed process), and failed ones not yet cleaned up. */
export function findAbandonedImports(db: Db, staleBefore: Date) {
  return db.prisma.import.findMany({
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
  const { count } = await db.prisma.import.updateMany({
    where: { id, status: 'RUNNING' },
    data: { status: 'PUBLISHED', phase: 'published', format: result.format, result: result as Prisma.InputJsonValue, finishedAt: at, heartbeatAt: at },
  });
  return count === 1;
}

/** Refreshes the planner's statistics after an import (see IMPORT_SQL.analyze). */
export async function analyzeImportedTables(db: Db): Promise<void> {
  await db.sql.execute(IMPORT_SQL.analyze, []);
}

export async function markImportFailed(db: Db, id: string, errors: unknown, at: Date): Promise<void> {
  await db.prisma.import.updateMany({
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
  await db.prisma.import.update({ where: { id }, data: { phase: 'failed' } });
}

/**
 * Deletes one batch of an unpublished import's rows (comparisons first, then responses, then prompts);
 * returns how many went, 0 when nothing is left. Short statements, so other requests interleave.
 */
export async function deleteImportRowsBatch(db: Db, importId: string, batchSize: number): Promise<number> {
  for (const table of ['Comparison', 'Response', 'Prompt'] as const) {
    const deleted = await db.sql.execute(IMPORT_SQL.deleteBatch(table), [importId, batchSize]);
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
    /** A ranking task's response keys in slot order (JSON array), null for a pair. */
    slots: (string | null)[];
    /** Groups of slot indexes, best first (JSON), when the file ranked the responses. */
    referenceRanking: (string | null)[];
  };
}

/** Stages the batch's prompts (IMPORT_SQL.stagePrompts); returns the number of new rows. */
export async function stagePrompts(db: Db, campaignId: string, importId: string, { prompts: p }: StagingBatch): Promise<number> {
  return db.sql.execute(IMPORT_SQL.stagePrompts, [campaignId, importId, p.key, p.externalId, p.context, p.metadata]);
}

/** Stages the batch's responses, after its prompts; returns the number of new rows. */
export async function stageResponses(db: Db, campaignId: string, importId: string, { responses: r }: StagingBatch): Promise<number> {
  return db.sql.execute(IMPORT_SQL.stageResponses, [campaignId, importId, r.promptKey, r.key, r.model, r.externalId, r.content, r.metadata]);
}

/** Stages the batch's comparisons, after its responses; returns the new comparisons and gold ones. */
export async function stageComparisons(db: Db, campaignId: string, importId: string, { comparisons: c }: StagingBatch): Promise<{ comparisons: number; gold: number }> {
  const [counts] = await db.sql.query<{ comparisons: number; gold: number }>(IMPORT_SQL.stageComparisons, [
    campaignId,
    importId,
    c.promptKey,
    c.keyA,
    c.keyB,
    c.isGold,
    c.goldChoice,
    c.referenceChoice,
    c.referenceSource,
    c.slots,
    c.referenceRanking,
  ]);
  return counts ?? { comparisons: 0, gold: 0 };
}

/** What a campaign already holds under these prompt keys (any import, staged or published), for a dry run to count only what is new. */
export async function existingRowKeys(db: Db, campaignId: string, promptKeys: string[]) {
  const [prompts, responses, comparisons] = await Promise.all([
    db.sql.query<{ key: string }>(IMPORT_SQL.existingPrompts, [campaignId, promptKeys]),
    db.sql.query<{ prompt: string; key: string }>(IMPORT_SQL.existingResponses, [campaignId, promptKeys]),
    db.sql.query<{ prompt: string; a: string; b: string }>(IMPORT_SQL.existingComparisons, [campaignId, promptKeys]),
  ]);
  return {
    prompts: prompts.map((row) => row.key),
    responses: responses.map((row) => [row.prompt, row.key] as const),
    comparisons: comparisons.map((row) => [row.prompt, row.a, row.b] as const),
  };
}
