// What a rater did that the server has not acknowledged yet, kept in sessionStorage (a reload sends it
// again with the same idempotency key), and the rules for retrying a failed send.
import { z } from 'zod';
import { ZFlagRequestSchema, ZSubmitJudgmentRequestSchema } from '$contract/rater';
import type { ApiError } from '../api/api-error';
import { randomUuid } from '../browser/insecure-context';

/** A key per judgment (the server replays the first answer given with it). */
export const newIdempotencyKey = randomUuid;

const ZOutboxActionSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('judgment'), assignmentId: z.string(), body: ZSubmitJudgmentRequestSchema }),
  z.object({ kind: z.literal('skip'), assignmentId: z.string() }),
  z.object({ kind: z.literal('flag'), assignmentId: z.string(), body: ZFlagRequestSchema }),
]);
export type OutboxAction = z.infer<typeof ZOutboxActionSchema>;

/** One campaign's unsent actions in this tab, oldest first. Storage failures (private mode, quota) only cost the reload safety. */
export class OutboxStore {
  private readonly key: string;

  constructor(campaignId: string) {
    this.key = `juxta:outbox:${campaignId}`;
  }

  load(): OutboxAction[] {
    try {
      const parsed = z.array(ZOutboxActionSchema).safeParse(JSON.parse(sessionStorage.getItem(this.key) ?? '[]'));
      return parsed.success ? parsed.data : [];
    } catch {
      return [];
    }
  }

  save(actions: OutboxAction[]): void {
    try {
      if (actions.length === 0) sessionStorage.removeItem(this.key);
      else sessionStorage.setItem(this.key, JSON.stringify(actions));
    } catch {
      // Still sent from memory; only a reload before it is sent would lose it.
    }
  }
}

/** Worth sending again unchanged: the server was unreachable, overloaded or failed on its side. */
export function isRetryable(error: ApiError): boolean {
  return error.status === 0 || error.status === 408 || error.status === 429 || error.status >= 500;
}

/** Exponential backoff from half a second up to 30 s, with jitter so that many raters do not retry in step. */
export function retryDelayMs(attempt: number, random: () => number = Math.random): number {
  return Math.min(30_000, 500 * 2 ** attempt) * (0.75 + random() / 2);
}
