// The generation worker every app instance runs: it claims items (leases in the database, so instances
// share the work and a restart resumes), sends each request through the endpoint layer, and stores the
// results in batches, publishing each prompt once all its items are settled. A request in flight when
// the process dies is sent again once its lease lapses; its result is stored once (unique per item).
import { ZGenerationParamsSchema, type TGenerationParams } from '../../contract/model-endpoints';
import {
  claimItems,
  findJobContexts,
  findRunnableEndpoints,
  releaseLeases,
  renewLeases,
  storeResults,
  type ClaimedItem,
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
import { campaignPairingOf, finishSettledJobs, publishSettledPrompts, type CampaignPairing } from './publish-prompts';

/** Results stored per transaction at most. */
const FLUSH_BATCH = 512;
/**
 * How long the first finished request waits for others to share its transaction (more join while one is
 * stored). Its slot is free meanwhile: the wait costs no throughput, only a later publish.
 */
const FLUSH_DELAY_MS = 50;
/** Endpoint rows (and decrypted keys) are read again after this long: an edit reaches running jobs within it. */
const ENDPOINT_TTL_MS = 2000;

interface InFlight {
  item: ClaimedItem;
  controller: AbortController;
}

/**
 * Per-item costs are kept off the database: a claim leases a batch of items (with their prompts) in one
 * short transaction, results are stored and prompts published in one transaction per batch, and a slot is
 * free again as soon as its request is over (the claim does not count this worker's finished, unstored items).
 */
export class GenerationWorker {
  private running = false;
  private loopDone: Promise<void> = Promise.resolve();
  /** Requests under way, by lease token. */
  private readonly inFlight = new Map<string, InFlight>();
  private readonly requests = new Set<Promise<void>>();
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

  constructor(private readonly ctx: ServiceContext) {}

  start(): this {
    if (this.running) return this;
    this.running = true;
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
    const stopped = [...this.inFlight.values()];
    for (const f of stopped) f.controller.abort();
    await Promise.allSettled([...this.requests]);
    await this.flushAll();
    await releaseLeases(this.ctx.db, stopped.map((f) => f.item)).catch((err: unknown) => this.ctx.log.warn({ err }, 'could not release generation leases'));
  }

  /** Look for work now rather than at the next poll. */
  kick(): void {
    this.wake?.();
  }

  /** Free request slots worth a claim transaction: half the slots, or any when idle. */
  private wantsWork(): boolean {
    const { maxInFlight } = this.ctx.config.generation;
    const free = maxInFlight - this.inFlight.size;
    // Results pile up when storing falls behind: stop sending until they are stored.
    if (this.results.length + this.storing.length >= 4 * maxInFlight) return false;
    return free >= Math.max(1, Math.floor(maxInFlight / 2)) || (free > 0 && this.inFlight.size === 0);
  }

  private async loop(): Promise<void> {
    const { pollMs, maxInFlight, leaseSeconds } = this.ctx.config.generation;
    while (this.running) {
      let claimed = 0;
      try {
        if (this.wantsWork()) {
          // Which endpoints have work is asked once per poll, or when those known to have it ran dry.
          if (this.runnable.length === 0 || Date.now() - this.runnableAt >= pollMs) {
            this.runnable = await findRunnableEndpoints(this.ctx.db);
            this.runnableAt = Date.now();
          }
          for (const endpointId of [...this.runnable]) {
            const free = maxInFlight - this.inFlight.size;
            if (free <= 0 || !this.running) break;
            const notCounted = [...this.storing, ...this.results].map((r) => r.id);
            const items = await claimItems(this.ctx.db, endpointId, free, leaseSeconds, notCounted);
            claimed += items.length;
            if (items.length) await this.launch(endpointId, items);
            // None now (at its limits, or done): ask the database again before the next poll only if no endpoint is left.
            else this.runnable = this.runnable.filter((id) => id !== endpointId);
          }
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

  private async launch(endpointId: string, items: ClaimedItem[]): Promise<void> {
    const db = this.ctx.db;
    const { row: endpoint, target } = await this.endpoint(endpointId);
    const paramsOf = new Map<string, TGenerationParams>();
    const unknownJobs = [...new Set(items.map((i) => i.jobId))].filter((id) => !this.jobs.has(id));
    if (unknownJobs.length) for (const job of await findJobContexts(db, unknownJobs)) this.jobs.set(job.id, job);
    for (const item of items) {
      const job = this.jobs.get(item.jobId);
      if (!endpoint || !target || !job) {
        this.report({ kind: 'failed', id: item.id, leaseToken: item.leaseToken, importId: item.importId, jobId: item.jobId, error: 'the endpoint or job is gone' });
        continue;
      }
      let params = paramsOf.get(job.id);
      if (!params) paramsOf.set(job.id, (params = effectiveParams(ZGenerationParamsSchema.parse(endpoint.params), ZGenerationParamsSchema.parse(job.params))));
      const controller = new AbortController();
      // Keyed by lease: an item whose lease lapsed under this very worker (a stalled event loop) and was
      // claimed again is two requests, each tracked (and renewed) on its own.
      this.inFlight.set(item.leaseToken, { item, controller });
      const request = this.send(endpoint, target, job, params, item.context as ChatTurn[], item, controller.signal).finally(() => {
        this.inFlight.delete(item.leaseToken);
        this.requests.delete(request);
        if (this.wantsWork()) this.kick();
      });
      this.requests.add(request);
    }
  }

  private async send(
    endpoint: ModelEndpointRow,
    target: ChatTarget,
    job: JobContextRow,
    params: TGenerationParams,
    context: ChatTurn[],
    item: ClaimedItem,
    signal: AbortSignal,
  ): Promise<void> {
    const base = { id: item.id, leaseToken: item.leaseToken, importId: item.importId, jobId: item.jobId };
    let result: ChatResult;
    try {
      result = await sendChat(target, chatCompletionBody(endpoint.model, context, params), { signal });
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
      response: stored
        ? {
            campaignId: job.campaignId,
            promptId: item.promptId,
            model: endpoint.name,
            content: result.content,
            // Kept for admins and exports; raters are never sent a response's metadata.
            metadata: {
              generation: {
                jobId: item.jobId,
                endpointId: endpoint.id,
                endpoint: endpoint.name,
                model: endpoint.model,
                params,
                sample: item.sample,
                finishReason: result.finishReason,
                truncated,
                usage: result.usage,
                latencyMs: result.latencyMs,
              },
            },
          }
        : null,
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
    await this.ctx.db.transaction(async (tx) => {
      const { settledImports, jobs } = await storeResults(tx, batch);
      await publishSettledPrompts(tx, settledImports, (campaignId) => this.campaignPairing(campaignId));
      await finishSettledJobs(tx, jobs);
    });
  }

  private campaignPairing(campaignId: string): CampaignPairing {
    let campaign = this.campaigns.get(campaignId);
    if (!campaign) {
      const job = [...this.jobs.values()].find((j) => j.campaignId === campaignId)!;
      this.campaigns.set(campaignId, (campaign = campaignPairingOf({ seed: job.campaignSeed, pairing: job.pairing, design: job.design })));
    }
    return campaign;
  }

  /** Keeps the leases of requests in flight and of results not yet stored. */
  private async renew(): Promise<void> {
    const held = [...[...this.inFlight.values()].map((f) => f.item), ...this.storing, ...this.results];
    await renewLeases(this.ctx.db, held, this.ctx.config.generation.leaseSeconds).catch((err: unknown) =>
      this.ctx.log.warn({ err }, 'generation worker: renewing leases failed'),
    );
  }
}

/** Starts this instance's worker; call stop() before closing the database. */
export function startGenerationWorker(ctx: ServiceContext): GenerationWorker {
  return new GenerationWorker(ctx).start();
}
