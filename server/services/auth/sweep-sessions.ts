// Dead sessions (expired, revoked, or idle past the limit) and stale login back-off rows are deleted at start-up and then every hour,
// so the session table holds the ones in use rather than every login there ever was.
import { deleteDeadSessions } from '../../db/repositories/credentials';
import { deleteStaleLoginFailures } from '../../db/repositories/users';
import type { ServiceContext } from '../context';

export const SESSION_SWEEP_EVERY_MS = 60 * 60 * 1000;

export async function sweepDeadSessions(ctx: ServiceContext): Promise<number> {
  const now = ctx.clock.now();
  const idleBefore = new Date(now.getTime() - ctx.config.session.idleMinutes * 60_000);
  // Login back-off rows whose window has passed count for nothing: they go too.
  await deleteStaleLoginFailures(ctx.db, new Date(now.getTime() - ctx.config.login.windowMinutes * 60_000));
  return deleteDeadSessions(ctx.db, now, idleBefore);
}

/** Sweeps every hour until the returned function is called; never keeps the process alive, logs a failure and goes on. */
export function sweepSessionsPeriodically(ctx: ServiceContext): () => void {
  const timer = setInterval(() => {
    sweepDeadSessions(ctx).then(
      (n) => n > 0 && ctx.log.info(`deleted ${n} dead sessions`),
      (err: unknown) => ctx.log.warn({ err }, 'could not delete dead sessions; trying again in an hour'),
    );
  }, SESSION_SWEEP_EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}
