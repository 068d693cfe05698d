// The process: read config, build the app, run start-up tasks, listen, and shut down gracefully.
import { setFlagsFromString } from 'node:v8';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app';
import { ConfigError, loadConfig } from './config';
import { DataDirBusyError } from './db/data-dir-lock';
import { DatabaseUnreachableError } from './db/database';
import { MigrationError } from './db/migrate';
import { installLazySourceMapsInBuild } from './process/lazy-source-maps';
import { sweepSessionsPeriodically } from './services/auth/sweep-sessions';
import { startGenerationWorker, type GenerationWorker } from './services/generation/generation-worker';
import { refreshPrioritiesPeriodically } from './services/selection/refresh-pair-priorities';
import { runStartupTasks } from './services/startup';

installLazySourceMapsInBuild(import.meta.url);

const EXPECTED = [ConfigError, DataDirBusyError, DatabaseUnreachableError, MigrationError];
/** After the grace period: time for cancelled imports to remove their staged rows and reply. */
const CANCEL_WAIT_MS = 5_000;

function fail(err: unknown): never {
  if (EXPECTED.some((E) => err instanceof E)) {
    // One line that says what to fix; a stack trace would only bury it.
    console.error(`juxta: ${(err as Error).message}`);
  } else {
    console.error('juxta: failed to start:', err);
  }
  process.exit(1);
}

async function main(): Promise<void> {
  const started = performance.now();
  const config = loadConfig();
  if (config.database.kind === 'postgres') {
    // Prisma plans each query in WebAssembly. V8 would recompile its hot functions with the optimising
    // tier: ~50 MB more RSS, for no speed a request can measure (its time is the database round trip).
    // So the baseline tier only, set before Prisma compiles its module (bench:startup shows the
    // difference). Not for PGlite: its whole engine is WebAssembly, and scans take 1.5-2x as long.
    setFlagsFromString('--liftoff-only');
  }
  let app: FastifyInstance;
  try {
    app = await buildApp(config);
  } catch (err) {
    fail(err);
  }
  let closing = false;
  let stopSweeping = () => {};
  let stopRefreshing = () => {};
  let worker: GenerationWorker | null = null;
  const shutdown = (signal: string) => {
    if (closing) {
      app.log.warn(`${signal} again: exiting now`);
      process.exit(1);
    }
    closing = true;
    stopSweeping();
    stopRefreshing();
    const graceMs = config.shutdownGraceSeconds * 1000;
    app.log.info(`${signal}: finishing in-flight requests (up to ${config.shutdownGraceSeconds} s), then closing the database`);
    // Past the grace period running imports are cancelled (they remove what they staged and reply),
    // then connections still open (a client trickling a body) are closed. Should the close still
    // hang, the process exits regardless.
    setTimeout(() => {
      app.log.warn(`grace period over: cancelling ${app.runningWork.size} running import(s), then closing open connections`);
      void app.runningWork.cancelAll('the server is shutting down', CANCEL_WAIT_MS).then(() => app.server.closeAllConnections());
    }, graceMs).unref();
    setTimeout(() => {
      app.log.error('shutdown did not finish after the grace period: exiting');
      process.exit(1);
    }, graceMs + 2 * CANCEL_WAIT_MS).unref();
    // Generation requests in flight are stopped and their items given back for the next start.
    (worker?.stop() ?? Promise.resolve())
      .catch((err: unknown) => app.log.error({ err }, 'error stopping the generation worker'))
      .then(() => app.close())
      .then(
      () => process.exit(0),
      (err) => {
        app.log.error({ err }, 'error during shutdown');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));

  const notes = await runStartupTasks(app.ctx);
  stopSweeping = sweepSessionsPeriodically(app.ctx);
  stopRefreshing = refreshPrioritiesPeriodically(app.ctx);
  if (config.generation.worker) worker = startGenerationWorker(app.ctx);
  await app.listen({ port: config.port, host: config.host });
  const ms = Math.round(performance.now() - started);
  const db = config.database.kind === 'postgres' ? 'Postgres' : `embedded database in ${config.dataDir}`;
  const lines = [`Juxta is running at ${config.publicUrl} (${db}; ready in ${ms} ms)`, ...notes];
  console.log(`\n${lines.map((l) => `  ${l}`).join('\n')}\n`);
}

main().catch(fail);
