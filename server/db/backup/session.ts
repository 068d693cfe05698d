// One SQL session on the configured database without the app around it, for db:backup and db:restore:
// a pg client, or the embedded engine (its data directory locked: a running server holds it).
import pg from 'pg';
import type { Config } from '../../config';
import { describeUrl, pgliteDir } from '../database';
import { DataDirBusyError, lockDataDir } from '../data-dir-lock';
import type { MigrationConnection } from '../migrate';
import { createPglite } from '../pglite';

export interface RawSession extends MigrationConnection {
  readonly kind: 'pglite' | 'postgres';
  /** Where it points, for messages (the password masked). */
  readonly where: string;
  close(): Promise<void>;
}

export class BackupError extends Error {
  override name = 'BackupError';
}

export async function openRawSession(config: Config): Promise<RawSession> {
  if (config.database.kind === 'postgres') {
    const url = config.database.url;
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    // Timestamps are written with an offset either way; UTC makes two backups of one database byte-identical.
    await client.query("SET TimeZone = 'UTC'");
    return {
      kind: 'postgres',
      where: describeUrl(url),
      query: async <T>(sql: string, params?: unknown[]) => (await client.query(sql, params)).rows as T[],
      exec: async (script: string) => {
        await client.query(script);
      },
      close: () => client.end(),
    };
  }
  const dataDir = config.database.dataDir;
  let lock;
  try {
    lock = lockDataDir(dataDir);
  } catch (err) {
    if (err instanceof DataDirBusyError) {
      throw new BackupError(`${err.message}\nStop the Juxta server first: the embedded database can be opened by one process at a time.`);
    }
    throw err;
  }
  try {
    const engine = await createPglite(pgliteDir(dataDir));
    await engine.exec("SET TimeZone = 'UTC'");
    return {
      kind: 'pglite',
      where: `the embedded database in ${dataDir}`,
      query: async <T>(sql: string, params?: unknown[]) => (await engine.query<T>(sql, params)).rows,
      exec: async (script: string) => {
        await engine.exec(script);
      },
      close: async () => {
        await engine.close();
        lock.release();
      },
    };
  } catch (err) {
    lock.release();
    throw err;
  }
}
