// Finds imports whose process stopped (no heartbeat for a while) and removes what they staged.
// Runs at start-up and before each new import. At start-up on the embedded database no wait is needed:
// this process holds the data directory's lock, taken over only from a process that is gone, so every
// import still RUNNING was left by a dead owner.
import { findAbandonedImports } from '../../db/repositories/imports';
import type { ServiceContext } from '../context';
import { discardImport } from './discard-import';
import { ABANDONED_AFTER_MS } from './import-heartbeat';

export async function cleanUpAbandonedImports(ctx: ServiceContext, options: { startingUp?: boolean } = {}): Promise<number> {
  const ownerSurelyGone = options.startingUp === true && ctx.db.kind === 'pglite';
  const staleBefore = ownerSurelyGone ? new Date(8.64e15) : new Date(ctx.clock.now().getTime() - ABANDONED_AFTER_MS);
  const abandoned = await findAbandonedImports(ctx.db, staleBefore);
  for (const { id, status } of abandoned) {
    ctx.log.warn({ importId: id }, 'cleaning up an abandoned import');
    const errors = { errors: [{ line: null, message: 'the import was interrupted (its server stopped): upload the file again' }], totalErrors: 1 };
    await discardImport(ctx, id, status === 'RUNNING' ? errors : undefined);
  }
  return abandoned.length;
}
