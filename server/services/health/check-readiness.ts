// Readiness: the database answers and has applied every migration this build carries. A load balancer
// sends no traffic to an instance that is not ready (say, one started against a database another
// version has not migrated yet, or one whose database went away).
import type { TReadyResponse } from '../../contract/health';
import { readMigrations } from '../../db/migrate';
import { appliedMigrationNames } from '../../db/repositories/monitoring';
import type { ServiceContext } from '../context';

let carried: string[] | null = null;

export async function checkReadiness(ctx: ServiceContext): Promise<TReadyResponse> {
  carried ??= readMigrations().map((m) => m.name);
  let applied: Set<string>;
  try {
    applied = new Set(await appliedMigrationNames(ctx.db));
  } catch (err) {
    ctx.log.warn({ err }, 'readiness: the database did not answer');
    return { status: 'not_ready', database: 'down', pendingMigrations: null };
  }
  const pending = carried.filter((name) => !applied.has(name));
  return { status: pending.length === 0 ? 'ready' : 'not_ready', database: 'up', pendingMigrations: pending };
}
