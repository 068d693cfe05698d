// Start-up tasks after migrations: the first admin, dead sessions and abandoned imports cleaned up, interrupted
// campaign deletes finished, and the demo campaign on a fresh embedded database.
// Returns lines to print under the URL (how to log in, where the demo is).
import { bootstrapAdmin } from './auth/bootstrap-admin';
import { sweepDeadSessions } from './auth/sweep-sessions';
import { finishInterruptedDeletes } from './campaigns/delete-campaign';
import type { ServiceContext } from './context';
import { seedDemo } from './demo/seed-demo';
import { cleanUpAbandonedImports } from './imports/clean-up-abandoned-imports';
import { checkSecretKey } from './model-endpoints/secret-key-check';

export async function runStartupTasks(ctx: ServiceContext): Promise<string[]> {
  await checkSecretKey(ctx);
  const adminLine = await bootstrapAdmin(ctx);
  await cleanUpAbandonedImports(ctx, { startingUp: true });
  await finishInterruptedDeletes(ctx);
  await sweepDeadSessions(ctx);
  return [adminLine, ...(await seedDemo(ctx))];
}
