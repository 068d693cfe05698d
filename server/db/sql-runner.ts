// SQL text (server/db/sql/) sent straight to the driver (the pg pool, or PGlite): on the hot paths
// Prisma's query engine costs more CPU than the statements themselves (the rater loop, the session
// lookup that authenticates every request, stats and export reads).
import type { PGlite } from '@electric-sql/pglite';
import type pg from 'pg';
import type { Db } from './handle';

/** Runs one statement with $1.. parameters; resolves with its rows. */
export type Query = <T>(sql: string, params: unknown[]) => Promise<T[]>;

export interface SqlRunner {
  query: Query;
  /**
   * A statement built per request from optional filters (the explorer's pages): sent unnamed, so Postgres
   * plans it with the values each time. A named statement switches to a cached generic plan after five
   * runs, and a generic plan cannot see that a filter value is rare (a model, a pattern).
   */
  queryAdHoc: Query;
  /** Runs one statement; resolves with the number of rows it changed. */
  execute(sql: string, params: unknown[]): Promise<number>;
  /** BEGIN ... COMMIT on one connection (PGlite: its exclusive transaction). */
  transaction<T>(work: (query: Query) => Promise<T>): Promise<T>;
}

export function sqlRunner(driver: { pool: pg.Pool } | { pglite: PGlite }): SqlRunner {
  if ('pglite' in driver) {
    const engine = driver.pglite;
    return {
      query: async <T>(sql: string, params: unknown[]) => (await engine.query<T>(sql, params)).rows,
      queryAdHoc: async <T>(sql: string, params: unknown[]) => (await engine.query<T>(sql, params)).rows,
      execute: async (sql, params) => (await engine.query(sql, params)).affectedRows ?? 0,
      transaction: (work) => engine.transaction((tx) => work(async <T>(sql: string, params: unknown[]) => (await tx.query<T>(sql, params)).rows)),
    };
  }
  const pool = driver.pool;
  const prepared = (text: string, values: unknown[]) => ({ name: statementName(text), text, values });
  return {
    query: async <T>(sql: string, params: unknown[]) => (await pool.query(prepared(sql, params))).rows as T[],
    queryAdHoc: async <T>(sql: string, params: unknown[]) => (await pool.query(sql, params)).rows as T[],
    execute: async (sql, params) => (await pool.query(prepared(sql, params))).rowCount ?? 0,
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

/** The SQL runner of a handle (the driver's, or the open transaction's). */
export function sqlOf(db: Db): SqlRunner {
  return db.sql;
}
