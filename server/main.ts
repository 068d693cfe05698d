// The process: read config, build the app, run start-up tasks, listen, and shut down gracefully.
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app';
import { ConfigError, loadConfig } from './config';
import { DataDirBusyError } from './db/data-dir-lock';
import { DatabaseUnreachableError } from './db/database';
import { MigrationError } from './db/migrate';
import { sweepSessionsPeriodically } from './services/auth/sweep-sessions';
import { runStartupTasks } from './services/startup';

const EXPECTED = [ConfigError, DataDirBusyError, DatabaseUnreachableError, MigrationError];

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
  let app: FastifyInstance;
  try {
    app = await buildApp(config);
  } catch (err) {
    fail(err);
  }
  let closing = false;
  let stopSweeping = () => {};
  const shutdown = (signal: string) => {
    if (closing) {
      app.log.warn(`${signal} again: exiting now`);
      process.exit(1);
    }
    closing = true;
    stopSweeping();
    app.log.info(`${signal}: finishing in-flight requests, then closing the database`);
    app.close().then(
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
  await app.listen({ port: config.port, host: config.host });
  const ms = Math.round(performance.now() - started);
  const db = config.database.kind === 'postgres' ? 'Postgres' : `embedded database in ${config.dataDir}`;
  const lines = [`Juxta is running at ${config.publicUrl} (${db}; ready in ${ms} ms)`, ...notes];
  console.log(`\n${lines.map((l) => `  ${l}`).join('\n')}\n`);
}

main().catch(fail);
