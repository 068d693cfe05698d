// A running import says it is alive every HEARTBEAT_MS, so that another instance (or the next start)
// can tell an abandoned import from a slow one.
import { saveProgress } from '../../db/repositories/imports';
import type { ServiceContext } from '../context';

export const HEARTBEAT_MS = 15_000;

/** Several missed heartbeats. */
export const ABANDONED_AFTER_MS = 8 * HEARTBEAT_MS;

/** Beats until the returned function is called. */
export function startHeartbeat(ctx: ServiceContext, importId: string): () => void {
  const timer = setInterval(() => {
    saveProgress(ctx.db, importId, {}, ctx.clock.now()).catch((err: unknown) => ctx.log.warn({ err, importId }, 'import heartbeat failed'));
  }, HEARTBEAT_MS);
  timer.unref();
  return () => clearInterval(timer);
}
