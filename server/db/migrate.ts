// Applies prisma/migrations at start-up exactly as `prisma migrate deploy` records them
// (the native migrate engine is not available offline): each migration in its own
// transaction, under Prisma's advisory lock, with a `_prisma_migrations` row per file.
import { createHash, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../project-root';

/** The subset of a SQL connection the runner needs; one session (the advisory lock is per session). */
export interface MigrationConnection {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Runs a multi-statement script as one simple-protocol query. */
  exec(script: string): Promise<void>;
}

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

/** Prisma's advisory lock key (prisma-engines: schema-engine/connectors/sql-schema-connector). */
export const PRISMA_ADVISORY_LOCK_KEY = 72707369;

export const MIGRATIONS_DIR = path.join(PROJECT_ROOT, 'prisma/migrations');

export class MigrationError extends Error {
  override name = 'MigrationError';
}

export function readMigrations(dir = MIGRATIONS_DIR): Migration[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(path.join(dir, d.name, 'migration.sql')))
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(path.join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

// The table as the schema engine creates it.
const CREATE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | string | null;
  rolled_back_at: Date | string | null;
}

/**
 * Applies the migrations not yet recorded; returns the names applied.
 * Two processes starting together serialise on the advisory lock, and the second finds nothing to do.
 */
export async function applyMigrations(
  conn: MigrationConnection,
  migrations: Migration[] = readMigrations(),
  log: (msg: string) => void = () => {},
): Promise<string[]> {
  await conn.query(`SELECT pg_advisory_lock(${PRISMA_ADVISORY_LOCK_KEY})`);
  try {
    await conn.exec(CREATE_MIGRATIONS_TABLE);
    const rows = await conn.query<AppliedRow>(
      'SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations" ORDER BY started_at',
    );
    const failed = rows.find((r) => r.finished_at === null && r.rolled_back_at === null);
    if (failed) {
      throw new MigrationError(
        `Migration ${failed.migration_name} failed earlier and is marked unfinished in _prisma_migrations; fix the database, then mark it rolled back (UPDATE "_prisma_migrations" SET rolled_back_at = now() WHERE migration_name = '${failed.migration_name}')`,
      );
    }
    const applied = new Map(rows.filter((r) => r.finished_at !== null).map((r) => [r.migration_name, r.checksum]));
    const done: string[] = [];
    for (const m of migrations) {
      const known = applied.get(m.name);
      if (known !== undefined) {
        if (known !== m.checksum) log(`migration ${m.name} was modified after it was applied (checksum differs); not re-applying it`);
        continue;
      }
      try {
        await conn.exec('BEGIN');
        await conn.exec(m.sql);
        await conn.query(
          'INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, logs, started_at, applied_steps_count) VALUES ($1, $2, now(), $3, NULL, now(), 1)',
          [randomUUID(), m.checksum, m.name],
        );
        await conn.exec('COMMIT');
      } catch (err) {
        await conn.exec('ROLLBACK').catch(() => {});
        throw new MigrationError(`Migration ${m.name} failed and was rolled back: ${(err as Error).message}`);
      }
      log(`applied migration ${m.name}`);
      done.push(m.name);
    }
    return done;
  } finally {
    await conn.query(`SELECT pg_advisory_unlock(${PRISMA_ADVISORY_LOCK_KEY})`).catch(() => {});
  }
}
