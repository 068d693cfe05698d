// SQL text (server/db/sql/) sent straight to the driver (the pg pool, or PGlite): on the hot paths
// Prisma's query engine costs more CPU than the statements themselves (the rater loop, the session
// lookup that authenticates every request, stats and export reads).
import type { PGlite } from '@electric-sql/pglite';
import type pg from 'pg';
import type { Db } from './handle';

/** Runs one statement with $1.. parameters; resolves with its rows. */
export type Query = <T>(sql: string, params: unknown[]) => Promise<T[]>;

/**
 * Runs a transaction's last statements and commits it, on Postgres in ONE round trip (the statements and COMMIT
 * in one simple query, parameters as literals as in `script`); resolves with each statement's rows. Nothing may
 * run in the transaction after it. For a hot transaction whose COMMIT would otherwise be a round trip of its own
 * (a claim's last lease). PGlite and a transaction inside Prisma's run the statements one by one and commit when
 * the transaction ends.
 */
export type Finish = (statements: ScriptStatement[]) => Promise<unknown[][]>;

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
  /**
   * BEGIN ... COMMIT on one connection (PGlite: its exclusive transaction); `finish` may end it early (see Finish);
   * `opening`: the rows of `options.opening`'s statements, one array each.
   */
  transaction<T>(work: (query: Query, finish: Finish, opening: unknown[][]) => Promise<T>, options?: TransactionOptions): Promise<T>;
  /**
   * Runs statements in ONE round trip, as one transaction (all or nothing), each with its own snapshot as in
   * any READ COMMITTED transaction (a statement sees what committed while an earlier one waited for a lock).
   * Resolves with each statement's rows. Their parameters are written into the text as literals (the simple
   * query protocol takes none), so they may only be uuids, integers, digit strings (bigint ids), words (letters
   * and underscores: an enum's value), booleans, dates, null, and arrays of those (`scriptLiteral` throws on
   * anything else: no quote can reach the text). For short hot
   * transactions whose round trips cost more than their statements (the generation worker's claim). Each
   * statement is PREPAREd once per connection and run by EXECUTE, so it is not planned again at every run.
   */
  script(statements: ScriptStatement[], options?: TransactionOptions): Promise<unknown[][]>;
}

/** A statement of a script: text with $1.. placeholders, and their values. */
export interface ScriptStatement {
  sql: string;
  params: unknown[];
}

export interface TransactionOptions {
  /**
   * Postgres's asynchronous commit (`SET LOCAL synchronous_commit = off`): COMMIT returns before its WAL is
   * flushed to disk. An operating-system crash (not a crash of the app or of a Postgres process) may then
   * undo the last fraction of a second of such transactions, all or nothing each, never half of one; any
   * later synchronous commit (every other transaction) flushes them first. Only for work that is simply
   * redone when undone: the generation worker's claims and stores (leases lapse, items are sent again and
   * stored once), a rater's claim (README "Claiming"). On PGlite: no effect (it has no WAL writer to wait for).
   */
  asyncCommit?: boolean;
  /**
   * A first statement sent with BEGIN in the same round trip (its parameters as literals, as in `script`);
   * its rows are not returned (a lock taken before the transaction's other statements).
   */
  lead?: ScriptStatement;
  /**
   * The transaction's first statements after `lead`, on Postgres sent with BEGIN in the same round trip (prepared
   * once per connection and run by EXECUTE, their parameters as literals as in `script`); `work` receives their rows.
   * For a hot transaction whose first read would otherwise be a round trip of its own (a claim's state).
   */
  opening?: ScriptStatement[];
}

export function sqlRunner(driver: { pool: pg.Pool } | { pglite: PGlite }): SqlRunner {
  if ('pglite' in driver) {
    const engine = driver.pglite;
    /** Script statements prepared on PGlite's one connection. */
    const prepared = new Set<string>();
    return {
      // PGlite's exec runs a multi-statement text as one implicit transaction, as Postgres does.
      script: async (statements) => {
        const script = preparedScript(statements, undefined, prepared);
        try {
          return script.rowsOf((await engine.exec(script.text)).map((r) => r.rows));
        } catch (err) {
          // Which statements a failed script left prepared is unknown: ask.
          const rows = (await engine.query<{ name: string }>('SELECT name FROM pg_prepared_statements', [])).rows;
          prepared.clear();
          for (const { name } of rows) prepared.add(name);
          throw err;
        }
      },
      query: async <T>(sql: string, params: unknown[]) => (await engine.query<T>(sql, params)).rows,
      queryAdHoc: async <T>(sql: string, params: unknown[]) => (await engine.query<T>(sql, params)).rows,
      execute: async (sql, params) => (await engine.query(sql, params)).affectedRows ?? 0,
      transaction: (work, options) =>
        engine.transaction(async (tx) => {
          if (options?.lead) await tx.query(options.lead.sql, options.lead.params);
          const query: Query = async <T>(sql: string, params: unknown[]) => (await tx.query<T>(sql, params)).rows;
          return work(query, oneByOne(query), await oneByOne(query)(options?.opening ?? []));
        }),
    };
  }
  const pool = driver.pool;
  const prepared = (text: string, values: unknown[]) => ({ name: statementName(text), text, values });
  return {
    script: async (statements, options) => {
      const client = await pool.connect();
      let script: ReturnType<typeof preparedScript>;
      try {
        script = preparedScript(statements, options, knownStatements(client));
      } catch (err) {
        client.release();
        throw err;
      }
      try {
        // A simple query of several statements: one implicit transaction, rolled back whole on an error.
        const result = (await client.query(script.text)) as unknown as pg.QueryResult | pg.QueryResult[];
        client.release();
        return script.rowsOf((Array.isArray(result) ? result : [result]).map((r) => r.rows));
      } catch (err) {
        // Which of its statements the failed script left prepared is unknown: the connection is closed.
        client.release(err instanceof Error ? err : true);
        throw err;
      }
    },
    query: async <T>(sql: string, params: unknown[]) => (await pool.query(prepared(sql, params))).rows as T[],
    queryAdHoc: async <T>(sql: string, params: unknown[]) => (await pool.query(sql, params)).rows as T[],
    execute: async (sql, params) => (await pool.query(prepared(sql, params))).rowCount ?? 0,
    transaction: async (work, options) => {
      const client = await pool.connect();
      /** Set once `finish` has sent the COMMIT (or failed: then which statements it prepared is unknown, and the connection goes). */
      let finished: { failed: boolean } | null = null;
      try {
        // One round trip: BEGIN, the setting, the lead statement and the opening ones in one simple query.
        const begin = ['BEGIN', ...(options?.asyncCommit ? ['SET LOCAL synchronous_commit = off'] : []), ...(options?.lead ? [scriptText(options.lead)] : [])];
        let opening: unknown[][] = [];
        if (options?.opening?.length) {
          const script = preparedScript(options.opening, undefined, knownStatements(client));
          // Which of its statements a failed opening left prepared is unknown: the connection then goes, as after a failed finish.
          finished = { failed: true };
          const results = (await client.query(`${begin.join(';\n')};\n${script.text}`)) as unknown as pg.QueryResult[];
          finished = null;
          opening = script.rowsOf(results.slice(begin.length).map((r) => r.rows));
        } else {
          await client.query(begin.join(';\n'));
        }
        const query: Query = async <T>(sql: string, params: unknown[]) => {
          if (finished) throw new Error('transaction: a statement after finish()');
          return (await client.query(prepared(sql, params))).rows as T[];
        };
        const finish: Finish = async (statements) => {
          if (finished) throw new Error('transaction: finish() twice');
          const script = preparedScript(statements, undefined, knownStatements(client));
          finished = { failed: true };
          const results = (await client.query(`${script.text};\nCOMMIT`)) as unknown as pg.QueryResult[];
          finished.failed = false;
          return script.rowsOf(results.map((r) => r.rows));
        };
        const out = await work(query, finish, opening);
        if (!finished) await client.query('COMMIT');
        return out;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {});
        throw err;
      } finally {
        client.release((finished as { failed: boolean } | null)?.failed === true);
      }
    },
  };
}

/** A Finish that runs the statements one after the other: the transaction commits when it ends. */
export function oneByOne(query: Query): Finish {
  return async (statements) => {
    const rows: unknown[][] = [];
    for (const { sql, params } of statements) rows.push(await query(sql, params));
    return rows;
  };
}

/** One script statement's text, its parameters written in as literals (a transaction's `lead`). */
function scriptText({ sql, params }: ScriptStatement): string {
  return sql.replace(/\$(\d+)(?!\d)/g, (_, n: string) => {
    const index = Number(n) - 1;
    if (index >= params.length) throw new Error(`script: no value for $${n}`);
    return scriptLiteral(params[index]);
  });
}

// set_config(..., true): for this transaction only, as SET LOCAL (which warns outside an explicit block).
const ASYNC_COMMIT = "SELECT set_config('synchronous_commit', 'off', true)";

/** Script statements already prepared on each Postgres connection (by name). */
const scriptStatements = new WeakMap<pg.PoolClient, Set<string>>();

function knownStatements(client: pg.PoolClient): Set<string> {
  let known = scriptStatements.get(client);
  if (!known) scriptStatements.set(client, (known = new Set()));
  return known;
}
const scriptNames = new Map<string, string>();

/**
 * A script as prepared statements: each text is PREPAREd once per connection (`known`: the names it has;
 * those this script prepares are added) and run by EXECUTE with its parameters as literals. The claim's
 * statement took longer to plan than to run (~1 ms against ~0.3 ms at each claim): prepared, Postgres plans
 * it once per connection (or a few times, then keeps a generic plan). `rowsOf`: each statement's rows from
 * the results of the whole text.
 */
function preparedScript(
  statements: ScriptStatement[],
  options: TransactionOptions | undefined,
  known: Set<string>,
): { text: string; rowsOf: (results: unknown[][]) => unknown[][] } {
  const texts = options?.asyncCommit ? [ASYNC_COMMIT] : [];
  const at: number[] = [];
  const fresh = new Set<string>();
  for (const { sql, params } of statements) {
    let name = scriptNames.get(sql);
    if (!name) scriptNames.set(sql, (name = `juxta_script_${scriptNames.size}`));
    const count = parameterCount(sql);
    if (params.length < count) throw new Error(`script: no value for $${params.length + 1}`);
    const values = params.slice(0, count).map(scriptLiteral);
    if (!known.has(name) && !fresh.has(name)) {
      texts.push(`PREPARE ${name} AS ${sql}`);
      fresh.add(name);
    }
    at.push(texts.length);
    texts.push(count === 0 ? `EXECUTE ${name}` : `EXECUTE ${name}(${values.join(', ')})`);
  }
  // Known once the text is built: a script that fails then is dealt with by the caller.
  for (const name of fresh) known.add(name);
  return { text: texts.join(';\n'), rowsOf: (results) => at.map((i) => results[i]!) };
}

/** The highest $n a statement's text uses. */
function parameterCount(sql: string): number {
  let count = 0;
  for (const [, n] of sql.matchAll(/\$(\d+)(?!\d)/g)) count = Math.max(count, Number(n));
  return count;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DIGITS = /^-?\d{1,19}$/;
const WORD = /^[A-Za-z_]{1,63}$/;

/** A parameter of a script as an SQL literal: uuids, integers, digit strings, words, booleans, dates, null and arrays of those only. */
export function scriptLiteral(value: unknown): string {
  // No words in an array: unquoted there, NULL would read as a null element.
  if (Array.isArray(value)) return `'{${value.map((v) => (v === null || v === undefined ? 'NULL' : scalar(v, false))).join(',')}}'`;
  if (value === null || value === undefined) return 'NULL';
  const text = scalar(value);
  if (typeof value === 'string' || value instanceof Date) return `'${text}'`;
  // A negative number in parentheses: after a minus in the text (`x -$1`), a bare -5 would start a comment.
  return text.startsWith('-') ? `(${text})` : text;
}

function scalar(value: unknown, words = true): string {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  if (typeof value === 'bigint' || typeof value === 'boolean') return value.toString();
  // ISO 8601 in UTC: digits, '-', ':', '.', 'T' and 'Z' only.
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'string' && (UUID.test(value) || DIGITS.test(value) || (words && WORD.test(value)))) return value;
  throw new Error(`script: ${typeof value} parameter refused (uuids, integers, digit strings, words, booleans and dates only)`);
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
