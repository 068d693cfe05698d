// Generation jobs and their items: creation, the claim (FOR UPDATE SKIP LOCKED leases under per-endpoint
// limits that hold across instances), lease renewal, storing results exactly once, publishing per prompt,
// and progress. Every statement is short; the claim and the completion are each one transaction.
//
// Every statement is GENERATION_SQL (sql/generation.ts, with the lock order); job and endpoint rows by Prisma's API.
import { Prisma } from '../database';
import type { Db } from '../handle';
import { GENERATION_SQL } from '../sql/generation';
import { GENERATION_FORMAT } from './imports';

/** Published prompts of the campaign: the given ones, or (none given) those with no published response. */
export async function findJobPrompts(db: Db, campaignId: string, promptIds: number[] | undefined): Promise<number[]> {
  const rows = promptIds
    ? await db.sql.query<{ id: number }>(GENERATION_SQL.jobPromptsAmong, [campaignId, promptIds])
    : await db.sql.query<{ id: number }>(GENERATION_SQL.jobPromptsUnanswered, [campaignId]);
  return rows.map((r) => r.id);
}

/**
 * Responses each prompt has (published, or a job's not yet published) plus those open items of jobs still
 * running will add: what a new job's items join, for the per-prompt cap.
 */
export async function countPromptResponses(db: Db, promptIds: number[]): Promise<Map<number, number>> {
  const rows = await db.sql.query<{ promptId: number; n: number }>(GENERATION_SQL.promptResponseCounts, [promptIds, GENERATION_FORMAT]);
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
  await db.sql.execute(GENERATION_SQL.insertJobImports, [job.id, job.campaignId, job.createdById, GENERATION_FORMAT, job.promptIds]);
  return db.sql.execute(GENERATION_SQL.insertJobItems, [job.id, job.promptIds, job.endpointIds, job.samples]);
}

/** Endpoints with an item ready to send now (their limits are checked by the claim). */
export async function findRunnableEndpoints(db: Db): Promise<string[]> {
  const rows = await db.sql.query<{ id: string }>(GENERATION_SQL.runnableEndpoints, []);
  return rows.map((r) => r.id);
}

export interface ClaimedItem {
  /** The item's bigint id, as text. */
  id: string;
  jobId: string;
  promptId: number;
  sample: number;
  importId: string;
  leaseToken: string;
  attempts: number;
  /** The prompt's conversation context. */
  context: unknown;
}

/**
 * One short transaction on the driver: lock the endpoint row (instances claiming for it queue there and
 * then see each other's leases), then lease up to what its limits leave. `notCounted`: this worker's items
 * whose requests are over but whose results are not stored yet. A deleted endpoint's open items fail instead.
 */
export async function claimItems(db: Db, endpointId: string, want: number, leaseSeconds: number, notCounted: string[] = []): Promise<ClaimedItem[]> {
  return db.sql.transaction(async (query) => {
    const [endpoint] = await query<{ deleted: boolean }>(GENERATION_SQL.lockEndpoint, [endpointId]);
    if (!endpoint) return [];
    if (endpoint.deleted) {
      await query(GENERATION_SQL.failDeletedEndpointItems, [endpointId]);
      return [];
    }
    return query<ClaimedItem>(GENERATION_SQL.claim, [endpointId, want, leaseSeconds, notCounted]);
  });
}

type Lease = { id: string; leaseToken: string };

/**
 * Extends the leases this worker still holds (queued items, requests running longer than one lease, results
 * not yet stored). Returns those still its own, and whether their job may still be worked on (not paused).
 */
export async function renewLeases(db: Db, items: Lease[], leaseSeconds: number): Promise<{ leaseToken: string; jobOpen: boolean }[]> {
  if (items.length === 0) return [];
  return db.sql.query(GENERATION_SQL.renewLeases, [items.map((i) => i.id), items.map((i) => i.leaseToken), leaseSeconds]);
}

/** Gives leases back untouched (a worker stopping): the items are claimable at once, the attempt not counted. */
export async function releaseLeases(db: Db, items: Lease[]): Promise<void> {
  if (items.length === 0) return;
  await db.sql.execute(GENERATION_SQL.releaseLeases, [items.map((i) => i.id), items.map((i) => i.leaseToken)]);
}

export interface JobContextRow {
  id: string;
  campaignId: string;
  params: unknown;
  options: unknown;
  campaignSeed: string;
  pairing: unknown;
  design: unknown;
}

export function findJobContexts(db: Db, jobIds: string[]) {
  return db.sql.query<JobContextRow>(GENERATION_SQL.jobContexts, [jobIds]);
}

/** What a finished request left: a response to store, nothing (empty, excluded truncation), a retry or a failure. */
export type ItemResult =
  | {
      kind: 'done';
      id: string;
      leaseToken: string;
      importId: string;
      jobId: string;
      /** null: nothing stored (outcome says why). */
      response: { campaignId: string; promptId: number; model: string; content: string; metadata: object } | null;
      outcome: 'response' | 'empty' | 'truncated';
      tokensIn: number | null;
      tokensOut: number | null;
      finishReason: string | null;
    }
  | { kind: 'retry'; id: string; leaseToken: string; importId: string; jobId: string; error: string; delayMs: number }
  | { kind: 'failed'; id: string; leaseToken: string; importId: string; jobId: string; error: string };

export const responseKeyOf = (itemId: string) => `gen:${itemId}`;

const ofKind = <K extends ItemResult['kind']>(results: ItemResult[], kind: K) => results.filter((r): r is Extract<ItemResult, { kind: K }> => r.kind === kind);

/**
 * Stores a batch of results (in the caller's transaction): each only if its lease is still the one given
 * (a lapsed lease's result is dropped: another worker sends it again); a response once per item (its key is
 * 'gen:<item id>', unique per prompt). Returns the import rows whose prompt has no open item left, for
 * publishing in the same transaction, and the jobs touched.
 */
export async function storeResults(tx: Db, results: ItemResult[]): Promise<{ settledImports: string[]; jobs: string[] }> {
  const { query } = tx.sql;
  const imports = [...new Set(results.map((r) => r.importId))].sort();
  await query(GENERATION_SQL.lockImports, [imports]);
  const done = ofKind(results, 'done');
  const withResponse = done.filter((r) => r.response !== null);
  const stored = withResponse.length
    ? await query<{ id: number; key: string }>(GENERATION_SQL.insertResponses, [
        withResponse.map((r) => r.response!.campaignId),
        withResponse.map((r) => r.response!.promptId),
        withResponse.map((r) => responseKeyOf(r.id)),
        withResponse.map((r) => r.response!.model),
        withResponse.map((r) => r.response!.content),
        withResponse.map((r) => JSON.stringify(r.response!.metadata)),
        withResponse.map((r) => r.importId),
        withResponse.map((r) => r.id),
        withResponse.map((r) => r.leaseToken),
      ])
    : [];
  const responseOf = new Map(stored.map((s) => [s.key, s.id]));
  if (done.length) {
    await query(GENERATION_SQL.markDone, [
      done.map((r) => r.id),
      done.map((r) => r.leaseToken),
      done.map((r) => r.outcome),
      done.map((r) => responseOf.get(responseKeyOf(r.id)) ?? null),
      done.map((r) => r.tokensIn),
      done.map((r) => r.tokensOut),
      done.map((r) => r.finishReason),
    ]);
  }
  const retries = ofKind(results, 'retry');
  if (retries.length) {
    await query(GENERATION_SQL.markRetry, [retries.map((r) => r.id), retries.map((r) => r.leaseToken), retries.map((r) => r.error), retries.map((r) => r.delayMs)]);
  }
  const failed = ofKind(results, 'failed');
  if (failed.length) await query(GENERATION_SQL.markFailed, [failed.map((r) => r.id), failed.map((r) => r.leaseToken), failed.map((r) => r.error)]);
  const settled = await query<{ id: string }>(GENERATION_SQL.settledImports, [imports]);
  return { settledImports: settled.map((s) => s.id), jobs: [...new Set(results.map((r) => r.jobId))] };
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
export function findResponsesToPublish(tx: Db, importIds: string[]): Promise<PromptResponseRow[]> {
  return tx.sql.query<PromptResponseRow>(GENERATION_SQL.responsesToPublish, [importIds]);
}

export interface PublishedPrompt {
  importId: string;
  /** Pairs (`slots` null) and ranking tasks (response ids in slot order; A and B are slots 0 and 1). */
  tasks: { campaignId: string; promptId: number; responseA: number; responseB: number; slots: number[] | null }[];
  result: object;
}

/** Makes settled prompts' responses visible with their comparisons and ranking tasks (planned by the caller), in two statements. */
export async function publishPrompts(tx: Db, prompts: PublishedPrompt[]): Promise<void> {
  if (prompts.length === 0) return;
  const tasks = prompts.flatMap((p) => p.tasks.map((task) => ({ ...task, importId: p.importId })));
  if (tasks.length) {
    await tx.sql.execute(GENERATION_SQL.insertComparisons, [
      tasks.map((p) => p.importId),
      tasks.map((p) => p.campaignId),
      tasks.map((p) => p.promptId),
      tasks.map((p) => p.responseA),
      tasks.map((p) => p.responseB),
      tasks.map((p) => (p.slots ? `{${p.slots.join(',')}}` : null)),
    ]);
  }
  await tx.sql.execute(GENERATION_SQL.publishImports, [prompts.map((p) => p.importId), prompts.map((p) => JSON.stringify(p.result))]);
}

/** Settled prompts with fewer than two responses stay unpublished (a retry may still add one). */
export async function markPromptsShort(tx: Db, importIds: string[]): Promise<void> {
  if (importIds.length) await tx.sql.execute(GENERATION_SQL.markShort, [importIds]);
}

/** Jobs with no open item left are DONE (a cancelled one stays CANCELLED). */
export async function finishSettledJobs(tx: Db, jobIds: string[]): Promise<void> {
  if (jobIds.length) await tx.sql.execute(GENERATION_SQL.finishSettledJobs, [jobIds]);
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
  const n = await db.sql.execute(GENERATION_SQL.setJobStatus, [id, to, from]);
  return n === 1;
}

/** Cancelling: open items are cancelled (a request in flight finds its lease gone and its result dropped). */
export async function cancelOpenItems(db: Db, jobId: string): Promise<void> {
  await db.sql.execute(GENERATION_SQL.cancelOpenItems, [jobId]);
}

/** The import rows of a job's prompts that are settled but not published. */
export function findUnpublishedImports(db: Db, jobId: string) {
  return db.sql.query<{ id: string }>(GENERATION_SQL.unpublishedImports, [jobId]);
}

/** Failed items go back to the queue with a fresh attempt count. */
export async function requeueFailedItems(db: Db, jobId: string): Promise<number> {
  return db.sql.execute(GENERATION_SQL.requeueFailedItems, [jobId]);
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
  const [row] = await db.sql.query<JobProgressRow>(GENERATION_SQL.jobProgress, [jobId]);
  return row!;
}

export function findJobFailures(db: Db, jobId: string, limit: number) {
  return db.sql.query<{ id: string; promptId: number; endpoint: string; sample: number; attempts: number; lastError: string | null }>(GENERATION_SQL.jobFailures, [jobId, limit]);
}
