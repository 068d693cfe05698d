// The generation worker every app instance runs: it claims items (leases in the database, so instances
// share the work and a restart resumes), sends each request through the endpoint layer, and stores the
// results in batches, publishing each prompt once all its items are settled. A request in flight when
// the process dies is sent again once its lease lapses; its result is stored once (unique per item).
import { ZGenerationParamsSchema } from '../../contract/model-endpoints';
import {
  claimItems,
  findJobContexts,
  findPromptContexts,
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
import { ChatError, sendChat, type ChatResult } from '../model-endpoints/chat-client';
import { chatTargetOf } from '../model-endpoints/model-endpoint-view';
import type { JobOptions } from './job-view';
import { finishSettledJobs, publishSettledPrompts } from './publish-prompts';

/** Items claimed per statement, and results stored per transaction at most. */
const CLAIM_BATCH = 64;
const FLUSH_BATCH = 64;
/** How long a finished request waits for others to share its transaction. */
const FLUSH_DELAY_MS = 5;

interface InFlight {
  item: ClaimedItem;
  controller: AbortController;
}

export class GenerationWorker {
  private running = false;
  private loopDone: Promise<void> = Promise.resolve();
  private readonly inFlight = new Map<string, InFlight>();
  private readonly requests = new Set<Promise<void>>();
  private results: ItemResult[] = [];
  private flushTimer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();
  private wake: (() => void) | null = null;
  private renewTimer: NodeJS.Timeout | null = null;
  private readonly jobs = new Map<string, JobContextRow>();

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
    await this.flush();
    await releaseLeases(this.ctx.db, stopped.map((f) => f.item)).catch((err: unknown) => this.ctx.log.warn({ err }, 'could not release generation leases'));
  }

  /** Look for work now rather than at the next poll. */
  kick(): void {
    this.wake?.();
  }

  private async loop(): Promise<void> {
    const { pollMs, maxInFlight } = this.ctx.config.generation;
    while (this.running) {
      let claimed = 0;
      try {
        if (this.inFlight.size < maxInFlight) {
          for (const endpointId of await findRunnableEndpoints(this.ctx.db)) {
            const free = maxInFlight - this.inFlight.size;
            if (free <= 0 || !this.running) break;
            const items = await claimItems(this.ctx.db, endpointId, Math.min(free, CLAIM_BATCH), this.ctx.config.generation.leaseSeconds);
            claimed += items.length;
            if (items.length) await this.launch(endpointId, items);
          }
        }
      } catch (err) {
        this.ctx.log.error({ err }, 'generation worker: claiming failed; trying again');
      }
      // With work claimed, look again at once (more may fit); else wait for a poll or a finished request.
      if (claimed === 0 && this.running) await this.sleep(pollMs);
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

  private async launch(endpointId: string, items: ClaimedItem[]): Promise<void> {
    const db = this.ctx.db;
    const endpoint = await findModelEndpoint(db, endpointId);
    const unknownJobs = [...new Set(items.map((i) => i.jobId))].filter((id) => !this.jobs.has(id));
    if (unknownJobs.length) for (const job of await findJobContexts(db, unknownJobs)) this.jobs.set(job.id, job);
    const prompts = new Map((await findPromptContexts(db, [...new Set(items.map((i) => i.promptId))])).map((p) => [p.id, p]));
    for (const item of items) {
      const job = this.jobs.get(item.jobId);
      const prompt = prompts.get(item.promptId);
      if (!endpoint || !job || !prompt) {
        this.report({ kind: 'failed', id: item.id, leaseToken: item.leaseToken, importId: item.importId, error: 'the endpoint, job or prompt is gone' });
        continue;
      }
      const controller = new AbortController();
      this.inFlight.set(item.id.toString(), { item, controller });
      const request = this.send(endpoint, job, prompt.context as ChatTurn[], item, controller.signal).finally(() => {
        this.inFlight.delete(item.id.toString());
        this.requests.delete(request);
      });
      this.requests.add(request);
    }
  }

  private async send(endpoint: ModelEndpointRow, job: JobContextRow, context: ChatTurn[], item: ClaimedItem, signal: AbortSignal): Promise<void> {
    const params = effectiveParams(ZGenerationParamsSchema.parse(endpoint.params), ZGenerationParamsSchema.parse(job.params));
    const base = { id: item.id, leaseToken: item.leaseToken, importId: item.importId };
    let result: ChatResult;
    try {
      result = await sendChat(chatTargetOf(this.ctx, endpoint), chatCompletionBody(endpoint.model, context, params), { signal });
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
    if (this.results.length >= FLUSH_BATCH) void this.flush();
    else this.flushTimer ??= setTimeout(() => void this.flush(), FLUSH_DELAY_MS);
  }

  /** Stores the results gathered so far in one transaction; one flush at a time. */
  private flush(): Promise<void> {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    this.flushing = this.flushing.then(async () => {
      const batch = this.results.splice(0, this.results.length);
      if (batch.length === 0) return;
      try {
        await this.store(batch);
        this.ctx.log.debug({ stored: batch.length }, 'generation results stored');
      } catch (err) {
        // Their leases lapse and the items are sent again: nothing is lost, nothing stored twice.
        this.ctx.log.error({ err, items: batch.length }, 'generation worker: storing results failed');
      }
      this.kick();
    });
    return this.flushing;
  }

  private async store(batch: ItemResult[]): Promise<void> {
    await this.ctx.db.transaction(async (tx) => {
      const { settledImports, jobs } = await storeResults(tx, batch);
      await publishSettledPrompts(tx, settledImports, (campaignId) => {
        const job = [...this.jobs.values()].find((j) => j.campaignId === campaignId)!;
        return { seed: job.campaignSeed, pairing: job.pairing };
      });
      await finishSettledJobs(tx, jobs);
    });
  }

  private async renew(): Promise<void> {
    const held = [...this.inFlight.values()].map((f) => f.item);
    await renewLeases(this.ctx.db, held, this.ctx.config.generation.leaseSeconds).catch((err: unknown) =>
      this.ctx.log.warn({ err }, 'generation worker: renewing leases failed'),
    );
  }
}

/** Starts this instance's worker; call stop() before closing the database. */
export function startGenerationWorker(ctx: ServiceContext): GenerationWorker {
  return new GenerationWorker(ctx).start();
}
