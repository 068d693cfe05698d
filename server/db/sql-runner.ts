// SQL sent straight to the driver (the pg pool, or PGlite) for the hot paths, where Prisma's query
// engine costs more CPU than the statements themselves: the rater loop and the session lookup that
// authenticates every request.
import type { PGlite } from '@electric-sql/pglite';
import type pg from 'pg';
import type { Database } from './database';

export type Query = <T>(sql: string, params: unknown[]) => Promise<T[]>;

export interface SqlRunner {
  query: Query;
  /** BEGIN ... COMMIT on one connection (PGlite: its exclusive transaction). */
  transaction<T>(work: (query: Query) => Promise<T>): Promise<T>;
}

export function sqlRunner(driver: { pool: pg.Pool } | { pglite: PGlite }): SqlRunner {
  if ('pglite' in driver) {
    const engine = driver.pglite;
    return {
      query: async <T>(sql: string, params: unknown[]) => (await engine.query<T>(sql, params)).rows,
      transaction: (work) => engine.transaction((tx) => work(async <T>(sql: string, params: unknown[]) => (await tx.query<T>(sql, params)).rows)),
    };
  }
  const pool = driver.pool;
  const prepared = (text: string, values: unknown[]) => ({ name: statementName(text), text, values });
  return {
    query: async <T>(sql: string, params: unknown[]) => (await pool.query(prepared(sql, params))).rows as T[],
    transaction: async (work) => {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const out = await work(async <T>(sql: string, params: unknown[]) => (await client.query(prepared(sql, params))).rows as T[]);
        await client.query('COMMIT');
        return out;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {});
        throw err;
      } finally {
        client.release();
      }
    },
  };
}

const statementNames = new Map<string, string>();

/**
 * A name per statement text, so that each connection parses a statement once and only binds it after
 * (the rater loop sends the same few statements all day).
 */
function statementName(text: string): string {
  let name = statementNames.get(text);
  if (!name) statementNames.set(text, (name = `juxta_${statementNames.size}`));
  return name;
}

const runners = new WeakMap<Database, SqlRunner>();

/** The runner of an open database, made once per database. */
export function sqlOf(db: Database): SqlRunner {
  let runner = runners.get(db);
  if (!runner) {
    runner = db.pool ? sqlRunner({ pool: db.pool }) : sqlRunner({ pglite: db.pglite! });
    runners.set(db, runner);
  }
  return runner;
}
