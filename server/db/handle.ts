// The one handle every repository takes: the open database, or one transaction opened through it.
// Services hold it (`ctx.db`), pass it on, and open transactions with `transaction(fn)`; only server/db/
// reads its Prisma client or its SQL runner (see server/db/README.md for which of the two a repository uses).
import type { Prisma, PrismaClient } from './generated/client';
import type { SessionCache } from './session-cache';
import { oneByOne, type Query, type SqlRunner } from './sql-runner';

export type DatabaseKind = 'pglite' | 'postgres';

export interface Db {
  readonly kind: DatabaseKind;
  /** server/db/ only: Prisma's query API, of the client or of the open transaction. */
  readonly prisma: Prisma.TransactionClient;
  /**
   * server/db/ only: SQL text from server/db/sql/. Outside a transaction straight to the driver (the pg
   * pool or PGlite); inside one, on the transaction's connection.
   */
  readonly sql: SqlRunner;
  /**
   * Runs `work` in one transaction and hands it a handle on it (called on a transaction's handle, it runs
   * in that same transaction). Keep it short: on PGlite an open transaction blocks every other query.
   */
  transaction<T>(work: (tx: Db) => Promise<T>): Promise<T>;
  /** The open database's only (not a transaction's): session lookups cached for a few seconds (session-cache.ts). */
  readonly sessions?: SessionCache;
}

/** The handle of the open database: Prisma runs `transaction`, the driver runs SQL outside one. */
export function databaseHandle(kind: DatabaseKind, prisma: PrismaClient, driver: SqlRunner): Db {
  return {
    kind,
    prisma,
    sql: driver,
    transaction: (work) => prisma.$transaction((tx) => work(transactionHandle(kind, tx))),
  };
}

function transactionHandle(kind: DatabaseKind, tx: Prisma.TransactionClient): Db {
  const query: Query = <T>(sql: string, params: unknown[]) => tx.$queryRawUnsafe<T[]>(sql, ...params);
  const handle: Db = {
    kind,
    prisma: tx,
    sql: {
      query,
      queryAdHoc: query,
      execute: (sql, params) => tx.$executeRawUnsafe(sql, ...params),
      transaction: async (work, options) => {
        if (options?.lead) await query(options.lead.sql, options.lead.params);
        return work(query, oneByOne(query), await oneByOne(query)(options?.opening ?? []));
      },
      // Already in a transaction: one statement after the other.
      script: oneByOne(query),
    },
    transaction: (work) => work(handle),
  };
  return handle;
}
