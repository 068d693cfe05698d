// The generation worker every app instance runs: it claims items (leases in the database, so instances
// share the work and a restart resumes), sends each request through the endpoint layer, and stores the
// results in batches, publishing each prompt once all its items are settled. A request in flight when
// the process dies is sent again once its lease lapses; its result is stored once (unique per item).
import { setMaxListeners } from 'node:events';
import { ZGenerationParamsSchema, type TGenerationParams } from '../../contract/model-endpoints';
import {
  claimItems,
  completeItems,
  findJobContexts,
  findRunnableEndpoints,
  releaseLeases,
  renewLeases,
  type ClaimedItem,
  type Generator,
  type ItemResult,
  type JobContextRow,
} from '../../db/repositories/generation';
import { findModelEndpoint, type ModelEndpointRow } from '../../db/repositories/model-endpoints';
import { chatCompletionBody, effectiveParams, type ChatTurn } from '../../domain/generation/chat-request';
import { retryDelayMs } from '../../domain/generation/retry-delay';
import type { ServiceContext } from '../context';
import { ChatError, sendChat, type ChatResult, type ChatTarget } from '../model-endpoints/chat-client';
import { chatTargetOf } from '../model-endpoints/model-endpoint-view';
import type { JobOptions } from './job-view';
import { campaignPairingOf, planPublication, type CampaignPairing } from './publish-prompts';

/** Results stored per transaction at most. */
const FLUSH_BATCH = 512;
/**
 * How long the first finished request waits for others to share its transaction (more join while one is
 * stored). Its slot is free meanwhile: the wait costs no throughput, only a later publish.
 */
const FLUSH_DELAY_MS = 200;
/** Endpoint rows (and decrypted keys) are read again after this long: an edit reaches running jobs within it. */
const ENDPOINT_TTL_MS = 2000;
/**
 * Claims run ahead of the requests by at most this many slots' worth: with instant answers a claim (a few
 * round trips) takes several requests' time, and the queue must cover it or slots sit idle.
 */
const CLAIM_AHEAD = 4;

/** A claimed item waiting for a free request slot, with what its request needs. */
interface Queued {
  item: ClaimedItem;
  target: ChatTarget;
  job: JobContextRow;
  /** The endpoint's name and model and the parameters, shared by the items of one job and endpoint. */
  generator: Generator & { params: TGenerationParams };
}

/**
 * Per-item costs are kept off the database: a claim leases a batch of items (with their prompts) in one
 * short transaction, results are stored and prompts published in one transaction per batch, and a slot is
 * free again as soon as its request is over (the claim does not count this worker's finished, unstored items).
 * Claims run ahead of the requests by as many items as finish while one claim runs (`queueDepth`): a slot
 * that frees is refilled at once rather than after a claim's round trips (with instant answers those took
 * longer than a request, and slots sat idle most of the time); with slow answers the queue stays short, so
 * leased, unsent items do not keep other instances from an endpoint's slots. Queued items hold leases, so
 * they count against the endpoint's concurrency limit like requests in flight: the limit still bounds what
 * is sent at once.
 */
export class GenerationWorker {
  private running = false;
  private loopDone: Promise<void> = Promise.resolve();
  /** Requests under way: their items by lease token. */
  private readonly inFlight = new Map<string, ClaimedItem>();
  /** Stops every request under way when the worker stops (one signal for all: none is stopped alone). */
  private stopping = new AbortController();
  private readonly requests = new Set<Promise<void>>();
  /** Claimed, not yet sent (their leases are held and renewed). */
  private queued: Queued[] = [];
  /** Moving averages of how long a claim and a request take, in ms (0: none measured yet). */
  private claimMs = 0;
  private requestMs = 0;
  /** Finished, not yet stored; their leases are still held (renewed) until stored. */
  private results: ItemResult[] = [];
  /** Taken by the flush under way (still held, not counted by claims either). */
  private storing: ItemResult[] = [];
  private flushTimer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private renewTimer: NodeJS.Timeout | null = null;
  private readonly jobs = new Map<string, JobContextRow>();
  /** Each job's campaign, parsed once: its seed, pairing rule and task type. */
  private readonly campaigns = new Map<string, CampaignPairing>();
  private readonly endpoints = new Map<string, { row: ModelEndpointRow | null; target: ChatTarget | null; at: number }>();
  /** Endpoints that had work at the last look, and when that was. */
  private runnable: string[] = [];
  private runnableAt = 0;
  /** Transactions and items so far, for benchmarks: claims and stores (each a fixed number of round trips). */
  readonly stats = { claims: 0, claimed: 0, stores: 0, stored: 0 };

  constructor(private readonly ctx: ServiceContext) {}

  start(): this {
    if (this.running) return this;
    this.running = true;
    this.stopping = new AbortController();
    // Each request under way listens to it: as many listeners as requests, on purpose.
    setMaxListeners(0, this.stopping.signal);
    const { leaseSeconds } = this.ctx.config.generation;
    this.renewTimer = setInterval(() => void this.renew(), Math.max(250, (leaseSeconds * 1000) / 3));
    this.renewTimer.unref();
    this.loopDone = this.loop();
    return this;
  }

  /** Stops claiming, stops the requests in flight and gives their leases back, stores what finished. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.wake?.();
    if (this.renewTimer) clearInterval(this.renewTimer);
    await this.loopDone;
    const unsent = this.queued.map((q) => q.item);
    this.queued = [];
    const stopped = [...this.inFlight.values()];
    this.stopping.abort();
    await Promise.allSettled([...this.requests]);
    await this.flushAll();
    await this.release([...unsent, ...stopped]);
  }

  /** Look for work now rather than at the next poll. */
  kick(): void {
    this.wake?.();
  }

  private release(items: ClaimedItem[]): Promise<void> {
    return releaseLeases(this.ctx.db, items).catch((err: unknown) => this.ctx.log.warn({ err }, 'could not release generation leases'));
  }

  /** Requests that finish while one claim runs (0 until both are measured). */
  private finishing(): number {
    if (this.claimMs === 0 || this.requestMs === 0) return 0;
    return (this.ctx.config.generation.maxInFlight * this.claimMs) / this.requestMs;
  }

  /**
   * Room worth a claim transaction when busy: half the slots' worth, all of them when at least one request
   * finishes during a claim. A claim starts as soon as the room reaches this, so it is also the claim's size:
   * with fast answers, claims of half the slots ran back to back (a fixed cost each, in round trips and in
   * the database's work), and the queue never grew past what one claim brought.
   */
  private claimBatch(): number {
    return this.finishing() >= 1 ? this.ctx.config.generation.maxInFlight : this.halfSlots();
  }

  /** Half the request slots (at least one): the claim batch unless requests finish during a claim. */
  private halfSlots(): number {
    return Math.max(1, Math.floor(this.ctx.config.generation.maxInFlight / 2));
  }

  /**
   * Items to hold ahead of free slots, at most CLAIM_AHEAD slots' worth: twice as many as finish during one
   * claim, plus what a claim batch adds over half the slots, so that a bigger batch does not start later.
   */
  private queueDepth(): number {
    const extra = this.claimBatch() - this.halfSlots();
    return Math.min(CLAIM_AHEAD * this.ctx.config.generation.maxInFlight, Math.ceil(2 * this.finishing()) + extra);
  }

  /** Items this worker may still claim: its slots and queue, less what it holds unsent or in flight. */
  private room(): number {
    return this.ctx.config.generation.maxInFlight + this.queueDepth() - this.inFlight.size - this.queued.length;
  }

  /** Results pile up when storing falls behind: stop sending and claiming until they are stored. */
  private backedUp(): boolean {
    return this.results.length + this.storing.length >= Math.max(FLUSH_BATCH, 4 * this.ctx.config.generation.maxInFlight);
  }

  /**
   * Room worth a claim transaction (claimBatch), or any when idle (nothing queued or in flight).
   * Not merely "nothing queued": the queue is empty whenever slots are free, and a claim per freed slot
   * (one item each, a transaction each) cost more than the requests.
   */
  private wantsWork(): boolean {
    const room = this.room();
    if (this.backedUp()) return false;
    const idle = this.queued.length === 0 && this.inFlight.size === 0;
    return room >= this.claimBatch() || (room > 0 && idle);
  }

  private async loop(): Promise<void> {
    const { pollMs, leaseSeconds } = this.ctx.config.generation;
    while (this.running) {
      let claimed = 0;
      try {
        if (this.wantsWork()) {
          // Which endpoints have work is asked once per poll, or when those known to have it ran dry.
          if (this.runnable.length === 0 || Date.now() - this.runnableAt >= pollMs) {
            this.runnable = await findRunnableEndpoints(this.ctx.db);
            this.runnableAt = Date.now();
          }
          // The room is shared among the endpoints with work, so that each prompt's items progress together;
          // one transaction claims for all of them.
          const share = Math.ceil(this.room() / Math.max(1, this.runnable.length));
          const wants = this.runnable.map((endpointId) => ({ endpointId, want: share }));
          const notCounted = [...this.storing, ...this.results].map((r) => r.id);
          const started = performance.now();
          const items = await claimItems(this.ctx.db, wants, leaseSeconds, notCounted);
          this.claimMs = movingAverage(this.claimMs, performance.now() - started);
          if (wants.length) this.stats.claims++;
          this.stats.claimed += items.length;
          claimed = items.length;
          // Endpoints with none now (at their limits, or done): ask the database again before the next poll only if none is left.
          const served = new Set(items.map((i) => i.endpointId));
          this.runnable = this.runnable.filter((id) => served.has(id));
          for (const endpointId of served) await this.enqueue(endpointId, items.filter((i) => i.endpointId === endpointId));
        }
      } catch (err) {
        this.ctx.log.error({ err }, 'generation worker: claiming failed; trying again');
      }
      // Nothing claimed: wait for a poll, or for requests to finish (they wake the loop when slots are free).
      if (this.running && (claimed === 0 || !this.wantsWork())) await this.sleep(pollMs);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = () => {
        this.wake = null;
        done();
      };
    });
  }

  private async endpoint(id: string): Promise<{ row: ModelEndpointRow | null; target: ChatTarget | null }> {
    const cached = this.endpoints.get(id);
    if (cached && Date.now() - cached.at < ENDPOINT_TTL_MS) return cached;
    const row = await findModelEndpoint(this.ctx.db, id);
    const fresh = { row, target: row && chatTargetOf(this.ctx, row), at: Date.now() };
    this.endpoints.set(id, fresh);
    return fresh;
  }

  private async enqueue(endpointId: string, items: ClaimedItem[]): Promise<void> {
    const db = this.ctx.db;
    const { row: endpoint, target } = await this.endpoint(endpointId);
    const generatorOf = new Map<string, Queued['generator']>();
    const unknownJobs = [...new Set(items.map((i) => i.jobId))].filter((id) => !this.jobs.has(id));
    if (unknownJobs.length) for (const job of await findJobContexts(db, unknownJobs)) this.jobs.set(job.id, job);
    for (const item of items) {
      const job = this.jobs.get(item.jobId);
      if (!endpoint || !target || !job) {
        this.report({ kind: 'failed', ...resultOf(item), error: 'the endpoint or job is gone' });
        continue;
      }
      let generator = generatorOf.get(job.id);
      if (!generator) {
        const params = effectiveParams(ZGenerationParamsSchema.parse(endpoint.params), ZGenerationParamsSchema.parse(job.params));
        generatorOf.set(job.id, (generator = { jobId: job.id, endpointId: endpoint.id, endpoint: endpoint.name, model: endpoint.model, params }));
      }
      this.queued.push({ item, target, job, generator });
    }
    this.pump();
  }

  /** Sends queued items while slots are free (none while results wait to be stored). */
  private pump(): void {
    const { maxInFlight } = this.ctx.config.generation;
    while (this.running && this.queued.length > 0 && this.inFlight.size < maxInFlight && !this.backedUp()) {
      const { item, target, job, generator } = this.queued.shift()!;
      // Keyed by lease: an item whose lease lapsed under this very worker (a stalled event loop) and was
      // claimed again is two requests, each tracked (and renewed) on its own.
      this.inFlight.set(item.leaseToken, item);
      const started = performance.now();
      const request = this.send(target, job, generator, item.context as ChatTurn[], item, this.stopping.signal).finally(() => {
        this.requestMs = movingAverage(this.requestMs, performance.now() - started);
        this.inFlight.delete(item.leaseToken);
        this.requests.delete(request);
        this.pump();
        if (this.wantsWork()) this.kick();
        // Nothing is under way to join the waiting batch (a job's last results, a lull): store it now, not after FLUSH_DELAY_MS.
        if (this.inFlight.size === 0 && this.flushTimer) void this.flush();
      });
      this.requests.add(request);
    }
  }

  private async send(
    target: ChatTarget,
    job: JobContextRow,
    generator: Queued['generator'],
    context: ChatTurn[],
    item: ClaimedItem,
    signal: AbortSignal,
  ): Promise<void> {
    const base = resultOf(item);
    let result: ChatResult;
    try {
      result = await sendChat(target, chatCompletionBody(generator.model, context, generator.params), { signal });
    } catch (err) {
      if (signal.aborted) return; // stopping: the lease is given back
      const error = err instanceof ChatError ? err : new ChatError(err instanceof Error ? err.message : String(err), false);
      const { maxAttempts, retryBaseMs } = this.ctx.config.generation;
      if (error.retryable && item.attempts < maxAttempts) {
        const delayMs = retryDelayMs(item.attempts, retryBaseMs, this.ctx.random.float(), error.retryAfterMs);
        this.report({ kind: 'retry', ...base, error: error.message, delayMs });
      } else {
        const prefix = error.retryable ? `gave up after ${item.attempts} attempts: ` : '';
        this.report({ kind: 'failed', ...base, error: prefix + error.message });
      }
      return;
    }
    const options = job.options as JobOptions;
    const empty = result.content.trim() === '';
    const truncated = result.finishReason === 'length';
    const stored = !(empty && options.emptyResponses === 'skip') && !(truncated && options.truncated === 'exclude');
    this.report({
      kind: 'done',
      ...base,
      outcome: stored ? 'response' : empty ? 'empty' : 'truncated',
      tokensIn: result.usage?.promptTokens ?? null,
      tokensOut: result.usage?.completionTokens ?? null,
      finishReason: result.finishReason,
      // Kept for admins and exports (metadata.generation: the generator and the item's own fields); raters are never sent a response's metadata.
      response: stored ? { campaignId: job.campaignId, model: generator.endpoint, content: result.content, generator, latencyMs: result.latencyMs } : null,
    });
  }

  private report(result: ItemResult): void {
    this.results.push(result);
    if (this.flushing) return; // the flush under way takes these next
    if (this.results.length >= FLUSH_BATCH) void this.flush();
    else this.flushTimer ??= setTimeout(() => void this.flush(), FLUSH_DELAY_MS);
  }

  /**
   * Stores the results gathered so far in one transaction, one flush at a time; what finished meanwhile
   * is stored by the next one, at once.
   */
  private flush(): Promise<void> {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    if (this.flushing) return this.flushing;
    this.flushing = (async () => {
      while (this.results.length > 0) {
        this.storing = this.results.splice(0, FLUSH_BATCH);
        try {
          await this.store(this.storing);
          this.ctx.log.debug({ stored: this.storing.length }, 'generation results stored');
        } catch (err) {
          // Their leases lapse and the items are sent again: nothing is lost, nothing stored twice.
          this.ctx.log.error({ err, items: this.storing.length }, 'generation worker: storing results failed');
        }
        this.storing = [];
        this.pump();
        if (this.wantsWork()) this.kick();
      }
    })().finally(() => {
      this.flushing = null;
      // Reported between the last batch and now: stored by a flush of their own.
      if (this.results.length > 0) this.flushTimer ??= setTimeout(() => void this.flush(), 0);
    });
    return this.flushing;
  }

  private async flushAll(): Promise<void> {
    while (this.flushing || this.results.length > 0) await (this.flushing ?? this.flush());
  }

  private async store(batch: ItemResult[]): Promise<void> {
    await completeItems(this.ctx.db, batch, (rows) => planPublication(rows, (campaignId) => this.campaignPairing(campaignId)));
    this.stats.stores++;
    this.stats.stored += batch.length;
  }

  private campaignPairing(campaignId: string): CampaignPairing {
    let campaign = this.campaigns.get(campaignId);
    if (!campaign) {
      const job = [...this.jobs.values()].find((j) => j.campaignId === campaignId)!;
      this.campaigns.set(campaignId, (campaign = campaignPairingOf({ seed: job.campaignSeed, pairing: job.pairing, design: job.design })));
    }
    return campaign;
  }

  /**
   * Keeps the leases of queued items, requests in flight and results not yet stored. Queued items whose
   * lease is gone (a cancelled job) leave the queue; those of a job paused meanwhile leave it too, their
   * leases given back, so a pause stops them within a renewal.
   */
  private async renew(): Promise<void> {
    const queued = this.queued.map((q) => q.item);
    const held = [...queued, ...this.inFlight.values(), ...this.storing, ...this.results];
    let renewed: Awaited<ReturnType<typeof renewLeases>>;
    try {
      renewed = await renewLeases(this.ctx.db, held, this.ctx.config.generation.leaseSeconds);
    } catch (err) {
      this.ctx.log.warn({ err }, 'generation worker: renewing leases failed');
      return;
    }
    const open = new Map(renewed.map((r) => [r.leaseToken, r.jobOpen]));
    const stale = new Set(queued.filter((i) => open.get(i.leaseToken) !== true).map((i) => i.leaseToken));
    if (stale.size === 0) return;
    const dropped = this.queued.filter((q) => stale.has(q.item.leaseToken)).map((q) => q.item);
    this.queued = this.queued.filter((q) => !stale.has(q.item.leaseToken));
    await this.release(dropped.filter((i) => open.get(i.leaseToken) === false));
  }
}

/** What a result carries of its item. */
const resultOf = ({ id, leaseToken, importId, promptId, jobId }: ClaimedItem) => ({ id, leaseToken, importId, promptId, jobId });

/** An exponential moving average over about the last ten values (the first value stands alone). */
const movingAverage = (average: number, value: number) => (average === 0 ? value : 0.9 * average + 0.1 * value);

/** Starts this instance's worker; call stop() before closing the database. */
export function startGenerationWorker(ctx: ServiceContext): GenerationWorker {
  return new GenerationWorker(ctx).start();
}
