// Generation jobs and their items: creation, the claim (FOR UPDATE SKIP LOCKED leases under per-endpoint
// limits that hold across instances), lease renewal, storing results exactly once, publishing per prompt,
// and progress. Every statement is short; the claim and the completion are each one transaction.
//
// Lock order (claim and completion never wait on each other in a cycle): ModelEndpoint row (claim only),
// then the prompt's import rows in id order (completion only), then items, then the job row.
import { Prisma } from '../database';
import type { Db } from '../handle';
import { publishedImport } from '../sql/published-import';
import { GENERATION_FORMAT } from './imports';

const publishedImportFilter = (alias: string) => Prisma.raw(publishedImport(alias));

const OPEN_JOB = Prisma.sql`('QUEUED', 'RUNNING')`;

/** Published prompts of the campaign: the given ones, or (none given) those with no published response. */
export async function findJobPrompts(db: Db, campaignId: string, promptIds: number[] | undefined): Promise<number[]> {
  const rows = promptIds
    ? await db.prisma.$queryRaw<{ id: number }[]>`
        SELECT p."id" FROM "Prompt" p
        WHERE p."campaignId" = ${campaignId}::uuid AND p."id" = ANY(${promptIds}::int[]) AND ${publishedImportFilter('p')}
        ORDER BY p."id"`
    : await db.prisma.$queryRaw<{ id: number }[]>`
        SELECT p."id" FROM "Prompt" p
        WHERE p."campaignId" = ${campaignId}::uuid AND ${publishedImportFilter('p')}
          AND NOT EXISTS (SELECT 1 FROM "Response" r WHERE r."promptId" = p."id" AND ${publishedImportFilter('r')})
        ORDER BY p."id"`;
  return rows.map((r) => r.id);
}

/** Responses a prompt has or will have from jobs still running (for the per-prompt cap). */
export async function countPromptResponses(db: Db, promptIds: number[]): Promise<Map<number, number>> {
  const rows = await db.prisma.$queryRaw<{ promptId: number; n: number }[]>`
    SELECT "promptId", count(*)::int AS n FROM "Response" WHERE "promptId" = ANY(${promptIds}::int[]) GROUP BY "promptId"`;
  return new Map(rows.map((r) => [r.promptId, r.n]));
}

export interface NewJob {
  id: string;
  campaignId: string;
  createdById: string | null;
  samples: number;
  params: object;
  options: object;
  promptIds: number[];
  endpointIds: string[];
}

/** The job, one import-like row per prompt (id md5(job:prompt), so items find theirs), one item per prompt x endpoint x sample. */
export async function insertJob(db: Db, job: NewJob): Promise<number> {
  await db.prisma.generationJob.create({
    data: {
      id: job.id,
      campaignId: job.campaignId,
      createdById: job.createdById,
      samples: job.samples,
      params: job.params as Prisma.InputJsonValue,
      options: job.options as Prisma.InputJsonValue,
    },
  });
  await db.prisma.$executeRaw`
    INSERT INTO "Import" ("id", "campaignId", "createdById", "format", "status", "phase", "result")
    SELECT md5(${job.id} || ':' || p)::uuid, ${job.campaignId}::uuid, ${job.createdById}::uuid, ${GENERATION_FORMAT}, 'RUNNING', 'generating',
      jsonb_build_object('generationJobId', ${job.id}::text, 'promptId', p)
    FROM unnest(${job.promptIds}::int[]) AS p`;
  return db.prisma.$executeRaw`
    INSERT INTO "GenerationItem" ("jobId", "promptId", "endpointId", "sample", "importId")
    SELECT ${job.id}::uuid, p, e, s, md5(${job.id} || ':' || p)::uuid
    FROM unnest(${job.promptIds}::int[]) AS p, unnest(${job.endpointIds}::uuid[]) AS e, generate_series(0, ${job.samples - 1}) AS s
    ORDER BY p, s, e`;
}

/** Endpoints with an item ready to send now (their limits are checked by the claim). */
export async function findRunnableEndpoints(db: Db): Promise<string[]> {
  const rows = await db.prisma.$queryRaw<{ id: string }[]>`
    SELECT e."id" FROM "ModelEndpoint" e
    WHERE EXISTS (
      SELECT 1 FROM "GenerationItem" i JOIN "GenerationJob" j ON j."id" = i."jobId"
      WHERE i."endpointId" = e."id" AND j."status" IN ${OPEN_JOB} AND i."notBefore" <= now()
        AND (i."status" = 'PENDING' OR (i."status" = 'LEASED' AND i."leaseUntil" <= now())))`;
  return rows.map((r) => r.id);
}

export interface ClaimedItem {
  id: bigint;
  jobId: string;
  promptId: number;
  sample: number;
  importId: string;
  leaseToken: string;
  attempts: number;
}

/**
 * One transaction: lock the endpoint row (so instances claiming for it queue here and see each other's
 * leases), count its live leases and its per-minute window, then lease up to what the limits leave,
 * skipping items another transaction holds. A deleted endpoint's open items fail instead.
 */
export async function claimItems(db: Db, endpointId: string, want: number, leaseSeconds: number): Promise<ClaimedItem[]> {
  return db.transaction(async (tx) => {
    const [endpoint] = await tx.prisma.$queryRaw<
      { maxConcurrency: number; requestsPerMinute: number | null; windowFresh: boolean; windowCount: number; deleted: boolean }[]
    >`
      SELECT "maxConcurrency", "requestsPerMinute", "windowCount", "deletedAt" IS NOT NULL AS "deleted",
        ("windowStart" IS NOT NULL AND "windowStart" > now() - interval '1 minute') AS "windowFresh"
      FROM "ModelEndpoint" WHERE "id" = ${endpointId}::uuid FOR UPDATE`;
    if (!endpoint) return [];
    if (endpoint.deleted) {
      await tx.prisma.$executeRaw`
        UPDATE "GenerationItem" SET "status" = 'FAILED', "lastError" = 'the endpoint was deleted', "finishedAt" = now(), "leaseToken" = NULL
        WHERE "endpointId" = ${endpointId}::uuid AND ("status" = 'PENDING' OR ("status" = 'LEASED' AND "leaseUntil" <= now()))`;
      return [];
    }
    const [{ leased }] = (await tx.prisma.$queryRaw<{ leased: number }[]>`
      SELECT count(*)::int AS leased FROM "GenerationItem"
      WHERE "endpointId" = ${endpointId}::uuid AND "status" = 'LEASED' AND "leaseUntil" > now()`) as [{ leased: number }];
    const windowUsed = endpoint.windowFresh ? endpoint.windowCount : 0;
    const byRate = endpoint.requestsPerMinute === null ? Infinity : endpoint.requestsPerMinute - windowUsed;
    const n = Math.min(want, endpoint.maxConcurrency - leased, byRate);
    if (n <= 0) return [];
    const claimed = await tx.prisma.$queryRaw<ClaimedItem[]>`
      UPDATE "GenerationItem" i
      SET "status" = 'LEASED', "leaseToken" = gen_random_uuid(), "leaseUntil" = now() + make_interval(secs => ${leaseSeconds}), "attempts" = i."attempts" + 1
      WHERE i."id" IN (
        SELECT c."id" FROM "GenerationItem" c JOIN "GenerationJob" j ON j."id" = c."jobId"
        WHERE c."endpointId" = ${endpointId}::uuid AND j."status" IN ${OPEN_JOB} AND c."notBefore" <= now()
          AND (c."status" = 'PENDING' OR (c."status" = 'LEASED' AND c."leaseUntil" <= now()))
        ORDER BY c."id" LIMIT ${n}
        FOR UPDATE OF c SKIP LOCKED)
      RETURNING i."id", i."jobId", i."promptId", i."sample", i."importId", i."leaseToken", i."attempts"`;
    if (claimed.length === 0) return [];
    if (endpoint.requestsPerMinute !== null) {
      await tx.prisma.$executeRaw`
        UPDATE "ModelEndpoint" SET
          "windowStart" = CASE WHEN ${endpoint.windowFresh} THEN "windowStart" ELSE now() END,
          "windowCount" = CASE WHEN ${endpoint.windowFresh} THEN "windowCount" ELSE 0 END + ${claimed.length}
        WHERE "id" = ${endpointId}::uuid`;
    }
    const jobs = [...new Set(claimed.map((c) => c.jobId))];
    await tx.prisma.$executeRaw`UPDATE "GenerationJob" SET "status" = 'RUNNING', "updatedAt" = now() WHERE "id" = ANY(${jobs}::uuid[]) AND "status" = 'QUEUED'`;
    return claimed;
  });
}

/** Extends the leases this worker still holds (requests running longer than one lease). */
export async function renewLeases(db: Db, items: { id: bigint; leaseToken: string }[], leaseSeconds: number): Promise<void> {
  if (items.length === 0) return;
  await db.prisma.$executeRaw`
    UPDATE "GenerationItem" i SET "leaseUntil" = now() + make_interval(secs => ${leaseSeconds})
    FROM unnest(${items.map((i) => i.id.toString())}::bigint[], ${items.map((i) => i.leaseToken)}::uuid[]) AS u(id, token)
    WHERE i."id" = u.id AND i."leaseToken" = u.token AND i."status" = 'LEASED'`;
}

/** Gives leases back untouched (a worker stopping): the items are claimable at once, the attempt not counted. */
export async function releaseLeases(db: Db, items: { id: bigint; leaseToken: string }[]): Promise<void> {
  if (items.length === 0) return;
  await db.prisma.$executeRaw`
    UPDATE "GenerationItem" i SET "status" = 'PENDING', "leaseToken" = NULL, "leaseUntil" = NULL, "attempts" = greatest(i."attempts" - 1, 0)
    FROM unnest(${items.map((i) => i.id.toString())}::bigint[], ${items.map((i) => i.leaseToken)}::uuid[]) AS u(id, token)
    WHERE i."id" = u.id AND i."leaseToken" = u.token AND i."status" = 'LEASED'`;
}

export interface JobContextRow {
  id: string;
  campaignId: string;
  params: unknown;
  options: unknown;
  campaignSeed: string;
  pairing: unknown;
}

export function findJobContexts(db: Db, jobIds: string[]) {
  return db.prisma.$queryRaw<JobContextRow[]>`
    SELECT j."id", j."campaignId", j."params", j."options", c."seed" AS "campaignSeed", c."pairing"
    FROM "GenerationJob" j JOIN "Campaign" c ON c."id" = j."campaignId" WHERE j."id" = ANY(${jobIds}::uuid[])`;
}

export function findPromptContexts(db: Db, promptIds: number[]) {
  return db.prisma.$queryRaw<{ id: number; key: string; context: unknown }[]>`
    SELECT "id", "key", "context" FROM "Prompt" WHERE "id" = ANY(${promptIds}::int[])`;
}

/** What a finished request left: a response to store, nothing (empty, excluded truncation), a retry or a failure. */
export type ItemResult =
  | {
      kind: 'done';
      id: bigint;
      leaseToken: string;
      importId: string;
      /** null: nothing stored (outcome says why). */
      response: { campaignId: string; promptId: number; model: string; content: string; metadata: object } | null;
      outcome: 'response' | 'empty' | 'truncated';
      tokensIn: number | null;
      tokensOut: number | null;
      finishReason: string | null;
    }
  | { kind: 'retry'; id: bigint; leaseToken: string; importId: string; error: string; delayMs: number }
  | { kind: 'failed'; id: bigint; leaseToken: string; importId: string; error: string };

export const responseKeyOf = (itemId: bigint) => `gen:${itemId}`;

/**
 * Stores a batch of results in one transaction: each only if its lease is still the one given (a lapsed
 * lease's result is dropped: another worker sends it again); a response once per item (its key is
 * 'gen:<item id>', unique per prompt). Returns the import rows whose prompt has no open item left, for
 * publishing in the same transaction, and the jobs touched.
 */
export async function storeResults(tx: Db, results: ItemResult[]): Promise<{ settledImports: string[]; jobs: string[] }> {
  const imports = [...new Set(results.map((r) => r.importId))].sort();
  // Completions of one prompt queue here, so the last one sees every other one's item settled.
  await tx.prisma.$queryRaw`SELECT "id" FROM "Import" WHERE "id" = ANY(${imports}::uuid[]) ORDER BY "id" FOR UPDATE`;
  const done = results.filter((r): r is Extract<ItemResult, { kind: 'done' }> => r.kind === 'done');
  const withResponse = done.filter((r) => r.response !== null);
  const stored = withResponse.length
    ? await tx.prisma.$queryRaw<{ id: number; key: string }[]>`
        INSERT INTO "Response" ("campaignId", "promptId", "key", "model", "content", "metadata", "importId")
        SELECT u.campaign_id, u.prompt_id, u.key, u.model, u.content, u.metadata::jsonb, u.import_id
        FROM unnest(${withResponse.map((r) => r.response!.campaignId)}::uuid[], ${withResponse.map((r) => r.response!.promptId)}::int[],
            ${withResponse.map((r) => responseKeyOf(r.id))}::text[], ${withResponse.map((r) => r.response!.model)}::text[],
            ${withResponse.map((r) => r.response!.content)}::text[], ${withResponse.map((r) => JSON.stringify(r.response!.metadata))}::text[],
            ${withResponse.map((r) => r.importId)}::uuid[], ${withResponse.map((r) => r.id.toString())}::bigint[], ${withResponse.map((r) => r.leaseToken)}::uuid[])
          AS u(campaign_id, prompt_id, key, model, content, metadata, import_id, item_id, token)
        JOIN "GenerationItem" i ON i."id" = u.item_id AND i."leaseToken" = u.token AND i."status" = 'LEASED'
        ON CONFLICT ("promptId", "key") DO NOTHING
        RETURNING "id", "key"`
    : [];
  const responseOf = new Map(stored.map((s) => [s.key, s.id]));
  if (done.length) {
    await tx.prisma.$executeRaw`
      UPDATE "GenerationItem" i SET "status" = 'DONE', "outcome" = u.outcome, "responseId" = u.response_id, "tokensIn" = u.tokens_in,
        "tokensOut" = u.tokens_out, "finishReason" = u.finish_reason, "finishedAt" = now(), "leaseToken" = NULL, "lastError" = NULL
      FROM unnest(${done.map((r) => r.id.toString())}::bigint[], ${done.map((r) => r.leaseToken)}::uuid[], ${done.map((r) => r.outcome)}::text[],
          ${done.map((r) => responseOf.get(responseKeyOf(r.id)) ?? null)}::int[], ${done.map((r) => r.tokensIn)}::int[],
          ${done.map((r) => r.tokensOut)}::int[], ${done.map((r) => r.finishReason)}::text[])
        AS u(id, token, outcome, response_id, tokens_in, tokens_out, finish_reason)
      WHERE i."id" = u.id AND i."leaseToken" = u.token AND i."status" = 'LEASED'`;
  }
  const retries = results.filter((r): r is Extract<ItemResult, { kind: 'retry' }> => r.kind === 'retry');
  if (retries.length) {
    await tx.prisma.$executeRaw`
      UPDATE "GenerationItem" i SET "status" = 'PENDING', "leaseToken" = NULL, "leaseUntil" = NULL, "lastError" = u.error,
        "notBefore" = now() + make_interval(secs => u.delay_ms / 1000.0)
      FROM unnest(${retries.map((r) => r.id.toString())}::bigint[], ${retries.map((r) => r.leaseToken)}::uuid[], ${retries.map((r) => r.error)}::text[],
          ${retries.map((r) => r.delayMs)}::int[]) AS u(id, token, error, delay_ms)
      WHERE i."id" = u.id AND i."leaseToken" = u.token AND i."status" = 'LEASED'`;
  }
  const failed = results.filter((r): r is Extract<ItemResult, { kind: 'failed' }> => r.kind === 'failed');
  if (failed.length) {
    await tx.prisma.$executeRaw`
      UPDATE "GenerationItem" i SET "status" = 'FAILED', "leaseToken" = NULL, "lastError" = u.error, "finishedAt" = now()
      FROM unnest(${failed.map((r) => r.id.toString())}::bigint[], ${failed.map((r) => r.leaseToken)}::uuid[], ${failed.map((r) => r.error)}::text[])
        AS u(id, token, error)
      WHERE i."id" = u.id AND i."leaseToken" = u.token AND i."status" = 'LEASED'`;
  }
  const settled = await tx.prisma.$queryRaw<{ id: string }[]>`
    SELECT m."id" FROM unnest(${imports}::uuid[]) AS m(id)
    WHERE NOT EXISTS (SELECT 1 FROM "GenerationItem" i WHERE i."importId" = m."id" AND i."status" IN ('PENDING', 'LEASED'))`;
  const jobs = await tx.prisma.$queryRaw<{ jobId: string }[]>`SELECT DISTINCT "jobId" FROM "GenerationItem" WHERE "importId" = ANY(${imports}::uuid[])`;
  return { settledImports: settled.map((s) => s.id), jobs: jobs.map((j) => j.jobId) };
}

export interface PromptResponseRow {
  importId: string;
  promptId: number;
  promptKey: string;
  campaignId: string;
  responseId: number;
  key: string;
  model: string;
  content: string;
  /** From this import (not yet compared) rather than an earlier published one. */
  isNew: boolean;
}

/** The responses each settled prompt has: published ones and its job's own. */
export function findResponsesToPublish(tx: Db, importIds: string[]) {
  return tx.prisma.$queryRaw<PromptResponseRow[]>`
    SELECT m."id" AS "importId", p."id" AS "promptId", p."key" AS "promptKey", p."campaignId", r."id" AS "responseId", r."key", r."model", r."content",
      r."importId" = m."id" AS "isNew"
    FROM "Import" m
    JOIN "GenerationItem" gi ON gi."importId" = m."id"
    JOIN "Prompt" p ON p."id" = gi."promptId"
    JOIN "Response" r ON r."promptId" = p."id" AND (r."importId" = m."id" OR ${publishedImportFilter('r')})
    WHERE m."id" = ANY(${importIds}::uuid[])
    GROUP BY m."id", p."id", r."id"
    ORDER BY m."id", r."id"`;
}

/** Makes a settled prompt's responses visible with their comparisons (canonical pairs computed by the caller). */
export async function publishPrompt(
  tx: Db,
  importId: string,
  pairs: { campaignId: string; promptId: number; responseA: number; responseB: number }[],
  result: object,
): Promise<number> {
  const inserted = pairs.length
    ? await tx.prisma.$executeRaw`
        INSERT INTO "Comparison" ("campaignId", "promptId", "responseAId", "responseBId", "target", "importId")
        SELECT u.campaign_id, u.prompt_id, u.a, u.b, c."votesPerComparison", ${importId}::uuid
        FROM unnest(${pairs.map((p) => p.campaignId)}::uuid[], ${pairs.map((p) => p.promptId)}::int[], ${pairs.map((p) => p.responseA)}::int[],
            ${pairs.map((p) => p.responseB)}::int[]) AS u(campaign_id, prompt_id, a, b)
        JOIN "Campaign" c ON c."id" = u.campaign_id
        ON CONFLICT ("responseAId", "responseBId") DO NOTHING`
    : 0;
  await tx.prisma.$executeRaw`
    UPDATE "Import" SET "status" = 'PUBLISHED', "phase" = 'published', "finishedAt" = coalesce("finishedAt", now()), "heartbeatAt" = now(),
      "result" = coalesce("result", '{}'::jsonb) || ${JSON.stringify(result)}::jsonb
    WHERE "id" = ${importId}::uuid`;
  return inserted;
}

/** A settled prompt with fewer than two responses stays unpublished (a retry may still add one). */
export async function markPromptShort(tx: Db, importId: string): Promise<void> {
  await tx.prisma.$executeRaw`UPDATE "Import" SET "phase" = 'too few responses', "heartbeatAt" = now() WHERE "id" = ${importId}::uuid AND "status" = 'RUNNING'`;
}

/** Jobs with no open item left are DONE (a cancelled one stays CANCELLED). */
export async function finishSettledJobs(tx: Db, jobIds: string[]): Promise<void> {
  if (jobIds.length === 0) return;
  await tx.prisma.$executeRaw`
    UPDATE "GenerationJob" j SET "status" = 'DONE', "finishedAt" = now(), "updatedAt" = now()
    WHERE j."id" = ANY(${jobIds}::uuid[]) AND j."status" IN ('QUEUED', 'RUNNING', 'PAUSED')
      AND NOT EXISTS (SELECT 1 FROM "GenerationItem" i WHERE i."jobId" = j."id" AND i."status" IN ('PENDING', 'LEASED'))`;
}

export function findJob(db: Db, id: string) {
  return db.prisma.generationJob.findUnique({ where: { id } });
}

/** A job of the campaign that is not finished (queued, running or paused), if any: it would write into the campaign. */
export function findOpenCampaignJob(db: Db, campaignId: string) {
  return db.prisma.generationJob.findFirst({ where: { campaignId, status: { in: ['QUEUED', 'RUNNING', 'PAUSED'] } }, select: { id: true, status: true } });
}

export function findCampaignJobs(db: Db, campaignId: string) {
  return db.prisma.generationJob.findMany({ where: { campaignId }, orderBy: { createdAt: 'desc' }, take: 50 });
}

export async function setJobStatus(db: Db, id: string, from: string[], to: string): Promise<boolean> {
  const n = await db.prisma.$executeRaw`
    UPDATE "GenerationJob" SET "status" = ${to}::"GenerationJobStatus", "updatedAt" = now(),
      "finishedAt" = CASE WHEN ${to} IN ('CANCELLED', 'DONE') THEN now() ELSE NULL END
    WHERE "id" = ${id}::uuid AND "status"::text = ANY(${from}::text[])`;
  return n === 1;
}

/** Cancelling: open items are cancelled (a request in flight finds its lease gone and its result dropped). */
export async function cancelOpenItems(db: Db, jobId: string): Promise<void> {
  await db.prisma.$executeRaw`
    UPDATE "GenerationItem" SET "status" = 'CANCELLED', "leaseToken" = NULL, "finishedAt" = now()
    WHERE "jobId" = ${jobId}::uuid AND "status" IN ('PENDING', 'LEASED')`;
}

/** The import rows of a job's prompts that are settled but not published. */
export function findUnpublishedImports(db: Db, jobId: string) {
  return db.prisma.$queryRaw<{ id: string }[]>`
    SELECT DISTINCT i."importId" AS "id" FROM "GenerationItem" i JOIN "Import" m ON m."id" = i."importId"
    WHERE i."jobId" = ${jobId}::uuid AND m."status" = 'RUNNING'`;
}

/** Failed items go back to the queue with a fresh attempt count. */
export async function requeueFailedItems(db: Db, jobId: string): Promise<number> {
  return db.prisma.$executeRaw`
    UPDATE "GenerationItem" SET "status" = 'PENDING', "attempts" = 0, "notBefore" = now(), "finishedAt" = NULL
    WHERE "jobId" = ${jobId}::uuid AND "status" = 'FAILED'`;
}

export interface JobProgressRow {
  total: number;
  done: number;
  failed: number;
  running: number;
  empty: number;
  truncatedExcluded: number;
  truncatedKept: number;
  tokensIn: number;
  tokensOut: number;
  recent: number;
  prompts: number;
  promptsPublished: number;
}

/** Counts from the items (no counter kept on the job: nothing to drift). `recent`: finished in the last minute. */
export async function jobProgress(db: Db, jobId: string): Promise<JobProgressRow> {
  const [row] = await db.prisma.$queryRaw<JobProgressRow[]>`
    SELECT count(*)::int AS total,
      count(*) FILTER (WHERE i."status" = 'DONE')::int AS done,
      count(*) FILTER (WHERE i."status" = 'FAILED')::int AS failed,
      count(*) FILTER (WHERE i."status" = 'LEASED' AND i."leaseUntil" > now())::int AS running,
      count(*) FILTER (WHERE i."outcome" = 'empty')::int AS empty,
      count(*) FILTER (WHERE i."outcome" = 'truncated')::int AS "truncatedExcluded",
      count(*) FILTER (WHERE i."outcome" = 'response' AND i."finishReason" = 'length')::int AS "truncatedKept",
      coalesce(sum(i."tokensIn"), 0)::int AS "tokensIn",
      coalesce(sum(i."tokensOut"), 0)::int AS "tokensOut",
      count(*) FILTER (WHERE i."status" IN ('DONE', 'FAILED') AND i."finishedAt" > now() - interval '1 minute')::int AS recent,
      count(DISTINCT i."importId")::int AS prompts,
      (SELECT count(*)::int FROM "Import" m WHERE m."id" IN (SELECT "importId" FROM "GenerationItem" WHERE "jobId" = ${jobId}::uuid) AND m."status" = 'PUBLISHED') AS "promptsPublished"
    FROM "GenerationItem" i WHERE i."jobId" = ${jobId}::uuid`;
  return row!;
}

export function findJobFailures(db: Db, jobId: string, limit: number) {
  return db.prisma.$queryRaw<{ id: bigint; promptId: number; endpoint: string; sample: number; attempts: number; lastError: string | null }[]>`
    SELECT i."id", i."promptId", e."name" AS endpoint, i."sample", i."attempts", i."lastError"
    FROM "GenerationItem" i JOIN "ModelEndpoint" e ON e."id" = i."endpointId"
    WHERE i."jobId" = ${jobId}::uuid AND i."status" = 'FAILED' ORDER BY i."id" LIMIT ${limit}`;
}
