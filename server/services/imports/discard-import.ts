// Marks an import FAILED and deletes its staged rows in short batches, so that nothing of it stays and
// other requests keep being served meanwhile. Also used for imports abandoned by a stopped process.
import type { TImportErrors } from '../../contract/imports';
import { deleteImportRowsBatch, markImportCleaned, markImportFailed, saveProgress } from '../../db/repositories/imports';
import type { ServiceContext } from '../context';

const DELETE_BATCH = 5_000;

/** `errors` replaces the import's stored errors; leave it out to keep those already recorded. */
export async function discardImport(ctx: ServiceContext, importId: string, errors?: TImportErrors): Promise<void> {
  const { db } = ctx;
  await markImportFailed(db, importId, errors, ctx.clock.now());
  // The heartbeat says the clean-up is alive, so that no other instance starts the same one.
  while ((await deleteImportRowsBatch(db, importId, DELETE_BATCH)) > 0) await saveProgress(db, importId, {}, ctx.clock.now());
  await markImportCleaned(db, importId);
}
