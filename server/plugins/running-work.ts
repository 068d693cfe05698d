// Long requests (imports) take a signal from here, aborted when their client goes away before the reply
// or when the server, shutting down, stops waiting for them (server/main.ts, after its grace period).
import type { FastifyReply } from 'fastify';

export class RunningWork {
  private readonly running = new Set<AbortController>();

  /** How many requests hold a signal now. */
  get size(): number {
    return this.running.size;
  }

  /** A signal for this request's work: aborted when the connection closes before the reply was sent, or by `cancelAll`. */
  signalFor(reply: FastifyReply): AbortSignal {
    const controller = new AbortController();
    this.running.add(controller);
    reply.raw.once('close', () => {
      this.running.delete(controller);
      if (!reply.raw.writableFinished) controller.abort('the client disconnected before it finished');
    });
    return controller.signal;
  }

  /** Aborts every signal; resolves once their requests have replied, or after `waitMs`. */
  async cancelAll(reason: string, waitMs: number): Promise<void> {
    for (const controller of this.running) controller.abort(reason);
    const until = Date.now() + waitMs;
    while (this.running.size > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
  }
}
