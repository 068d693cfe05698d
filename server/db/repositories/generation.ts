// Generation jobs and their items: creation, the claim (FOR UPDATE SKIP LOCKED leases under per-endpoint
// limits that hold across instances), lease renewal, storing results exactly once, publishing per prompt,
// and progress. Every statement is short; the claim and the completion are each one transaction.
//
// Every statement is GENERATION_SQL (sql/generation.ts, with the lock order); job and endpoint rows by Prisma's API.
import { Prisma } from '../database';
import type { Db } from '../handle';
import { idArray } from '../sql-params';
import type { Query, TransactionOptions } from '../sql-runner';
import { GENERATION_SQL } from '../sql/generation';
import { GENERATION_FORMAT } from './imports';

/**
 * The worker's claims and stores commit asynchronously (no wait for the WAL flush, which took ~20 ms of a
 * ~30 ms store on the test machine's disk): one undone by an operating-system crash is redone as if the
 * process had died then (leases lapse, the items are sent again and stored once), and a rater's judgment of
 * a published comparison commits synchronously, which flushes the publication before it.
 */
const WORKER_TRANSACTION: TransactionOptions = { asyncCommit: true };

/** Published prompts of the campaign: the given ones, or (none given) those with no published response. */
export async function findJobPrompts(db: Db, campaignId: string, promptIds: number[] | undefined): Promise<number[]> {
  const rows = promptIds
    ? await db.sql.query<{ id: number }>(GENERATION_SQL.jobPromptsAmong, [campaignId, promptIds])
    : await db.sql.query<{ id: number }>(GENERATION_SQL.jobPromptsUnanswered, [campaignId]);
  return rows.map((r) => r.id);
}

/** No JIT compilation for the rest of the caller's transaction (a job's creation: see GENERATION_SQL.jitOff). */
export async function disableJit(tx: Db): Promise<void> {
  await tx.sql.query(GENERATION_SQL.jitOff, []);
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

/**
 * The job, one import-like row per prompt (id md5(job:prompt), so items find theirs) holding the responses earlier
 * jobs left short of two (adoptShortResponses), one item per prompt x endpoint x sample.
 */
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
  await db.sql.execute(GENERATION_SQL.adoptShortResponses, [job.id, GENERATION_FORMAT, job.promptIds]);
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
  endpointId: string;
  promptId: number;
  sample: number;
  importId: string;
  leaseToken: string;
  attempts: number;
  /** The prompt's conversation context. */
  context: unknown;
}

/** How many items to claim for one endpoint at most (its limits may leave fewer). */
export interface EndpointWant {
  endpointId: string;
  want: number;
}

/**
 * One short transaction on the driver for every endpoint at once, in one round trip (a script): lock their
 * rows in id order (instances claiming for one queue there and then see each other's leases), fail a deleted
 * endpoint's open items, then lease up to what each one's limits leave, in one statement. `notCounted`: this
 * worker's items whose requests are over but whose results are not stored yet.
 */
export async function claimItems(db: Db, wants: EndpointWant[], leaseSeconds: number, notCounted: string[] = []): Promise<ClaimedItem[]> {
  const claimable = wants.filter((w) => w.want > 0);
  if (claimable.length === 0) return [];
  const endpointIds = claimable.map((w) => w.endpointId);
  const [, , claimed] = await db.sql.script(
    [
      { sql: GENERATION_SQL.lockEndpoints, params: [endpointIds] },
      { sql: GENERATION_SQL.failDeletedEndpointItems, params: [endpointIds] },
      { sql: GENERATION_SQL.claim, params: [endpointIds, claimable.map((w) => w.want), leaseSeconds, notCounted] },
    ],
    WORKER_TRANSACTION,
  );
  return claimed as ClaimedItem[];
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

/** The item a result is for: its lease, and its prompt's import row (one per job and prompt). */
interface ResultOf {
  id: string;
  leaseToken: string;
  importId: string;
  promptId: number;
  jobId: string;
}

/**
 * What every response of one (job, endpoint) says of how it was generated: its metadata's `generation` but the
 * item's own fields (sample, finish reason, truncation, usage, latency), which the store adds from the item's row
 * and columns. One object for many results: it is written once per batch.
 */
export interface Generator {
  jobId: string;
  endpointId: string;
  /** The endpoint's name (the response's model label). */
  endpoint: string;
  /** The model id sent to the endpoint. */
  model: string;
  params: object;
}

/** A response to store: its text, who generated it and how long the request took. */
export interface GeneratedResponse {
  campaignId: string;
  model: string;
  content: string;
  generator: Generator;
  latencyMs: number;
}

/** What a finished request left: a response to store, nothing (empty, excluded truncation), a retry or a failure. */
export type ItemResult =
  | (ResultOf & {
      kind: 'done';
      /** null: nothing stored (outcome says why). */
      response: GeneratedResponse | null;
      outcome: 'response' | 'empty' | 'truncated';
      tokensIn: number | null;
      tokensOut: number | null;
      finishReason: string | null;
    })
  | (ResultOf & { kind: 'retry'; error: string; delayMs: number })
  | (ResultOf & { kind: 'failed'; error: string });

/** One row per response a settled prompt has (see GENERATION_SQL.settledPromptResponses); response fields null when it has none. */
export interface SettledPromptRow {
  importId: string;
  promptId: number;
  promptKey: string;
  campaignId: string;
  responseId: number | null;
  key: string | null;
  model: string | null;
  content: string | null;
  /** From this import (not yet compared) rather than an earlier published one. */
  isNew: boolean | null;
}

export interface PublishedPrompt {
  importId: string;
  /** Pairs (`slots` null) and ranking tasks (response ids in slot order; A and B are slots 0 and 1). */
  tasks: { campaignId: string; promptId: number; responseA: number; responseB: number; slots: number[] | null }[];
  result: object;
}

/** What becomes of settled prompts: those published with their tasks, and those left short of two responses. */
export interface Publication {
  published: PublishedPrompt[];
  short: string[];
}

/** The caller's rule (the campaign's pairing and task type): from settled prompts' responses to a publication. */
export type PlanPublication = (rows: SettledPromptRow[]) => Publication;

/**
 * Stores a batch of results and publishes the prompts they settle, in one transaction on the driver
 * (no Prisma: it is the worker's hot path, catalogue statements only): lock the batch's import rows (the last
 * completion of a prompt then sees all the others), settle the items whose lease is still the one given (a
 * lapsed lease's result is dropped: another worker sends it again; a response once per item) and read the
 * settled prompts' responses in one statement, publish them as `plan` says and finish the jobs with nothing
 * open. Four round trips (BEGIN with the lock, settle, publish, COMMIT) whatever the batch's size.
 */
export async function completeItems(db: Db, results: ItemResult[], plan: PlanPublication): Promise<void> {
  if (results.length === 0) return;
  const promptOf = new Map(results.map((r) => [r.importId, r.promptId]));
  const imports = [...promptOf.keys()].sort();
  const jobs = [...new Set(results.map((r) => r.jobId))];
  const response = (r: ItemResult) => (r.kind === 'done' ? r.response : null);
  const generators = new Map<Generator, number>();
  const generatorOf = (r: ItemResult) => {
    const generator = response(r)?.generator;
    if (!generator) return null;
    let n = generators.get(generator);
    if (n === undefined) generators.set(generator, (n = generators.size + 1));
    return n;
  };
  // The import rows are locked with BEGIN, in its round trip.
  const options: TransactionOptions = { ...WORKER_TRANSACTION, lead: { sql: GENERATION_SQL.lockImports, params: [imports] } };
  await db.sql.transaction(async (query) => {
    // Ids and integers as array literals of our own (idArray): pg would quote and escape each element.
    const settled = await query<SettledPromptRow>(GENERATION_SQL.settleItems, [
      idArray(results.map((r) => r.id)),
      idArray(results.map((r) => r.leaseToken)),
      results.map((r) => r.kind),
      results.map((r) => (r.kind === 'done' ? r.outcome : null)),
      idArray(results.map((r) => (r.kind === 'done' ? r.tokensIn : null))),
      idArray(results.map((r) => (r.kind === 'done' ? r.tokensOut : null))),
      results.map((r) => (r.kind === 'done' ? r.finishReason : null)),
      results.map((r) => (r.kind === 'done' ? null : r.error)),
      idArray(results.map((r) => (r.kind === 'retry' ? Math.round(r.delayMs) : null))),
      idArray(results.map((r) => response(r)?.campaignId ?? null)),
      idArray(results.map((r) => (response(r) ? r.promptId : null))),
      results.map((r) => response(r)?.model ?? null),
      results.map((r) => response(r)?.content ?? null),
      idArray(results.map(generatorOf)),
      idArray(results.map((r) => (response(r) ? r.importId : null))),
      idArray(imports),
      idArray(imports.map((id) => promptOf.get(id)!)),
      [...generators.keys()].map((g) => JSON.stringify(g)),
      idArray(results.map((r) => response(r)?.latencyMs ?? null)),
    ]);
    await publishRows(query, settled, plan, jobs);
  }, options);
}

/** An import row of a job and its prompt. */
export interface PromptImport {
  importId: string;
  promptId: number;
}

/** Publishes those of these import rows whose prompt is settled, in the caller's transaction (a job being cancelled). */
export async function publishSettledImports(tx: Db, imports: PromptImport[], plan: PlanPublication): Promise<void> {
  await publish(tx.sql, imports, plan, []);
}

async function publish(sql: { query: Query }, imports: PromptImport[], plan: PlanPublication, jobIds: string[]): Promise<void> {
  const rows = imports.length
    ? await sql.query<SettledPromptRow>(GENERATION_SQL.settledPromptResponses, [imports.map((m) => m.importId), imports.map((m) => m.promptId)])
    : [];
  await publishRows(sql.query, rows, plan, jobIds);
}

/** Publishes the settled prompts of `rows` as `plan` says, and finishes jobs `jobIds` if nothing of theirs is open. */
async function publishRows(query: Query, rows: SettledPromptRow[], plan: PlanPublication, jobIds: string[]): Promise<void> {
  const { published, short } = plan(rows);
  if (published.length === 0 && short.length === 0 && jobIds.length === 0) return;
  const tasks = published.flatMap((p) => p.tasks.map((task) => ({ ...task, importId: p.importId })));
  await query(GENERATION_SQL.publishSettled, [
    idArray(tasks.map((p) => p.importId)),
    idArray(tasks.map((p) => p.campaignId)),
    idArray(tasks.map((p) => p.promptId)),
    idArray(tasks.map((p) => p.responseA)),
    idArray(tasks.map((p) => p.responseB)),
    tasks.map((p) => (p.slots ? `{${p.slots.join(',')}}` : null)),
    idArray(published.map((p) => p.importId)),
    published.map((p) => JSON.stringify(p.result)),
    idArray(short),
    idArray(jobIds),
  ]);
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
  return db.sql.query<PromptImport>(GENERATION_SQL.unpublishedImports, [jobId]);
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
  return db.sql.query<{ id: string; promptId: number; promptExternalId: string | null; endpoint: string; sample: number; attempts: number; lastError: string | null }>(GENERATION_SQL.jobFailures, [jobId, limit]);
}
