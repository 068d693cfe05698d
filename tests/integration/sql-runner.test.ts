// The hot-path SQL runner: on Postgres each statement text is prepared once per connection under a
// stable name (parse and analysis of the rater loop's large statements were most of Postgres' work per
// judgment); results are the same either way, and PGlite runs the same statements unnamed.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { sqlOf, sqlRunner } from '../../server/db/sql-runner';
import { startTestApp, type TestApp } from '../helpers/app';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t.close());

const STATEMENT = 'SELECT $1::int + 1 AS n';

describe('sqlRunner', () => {
  it('answers queries and transactions on the database the app uses (PGlite or Postgres)', async () => {
    const runner = sqlOf(t.app.ctx.db);
    expect(await runner.query<{ n: number }>(STATEMENT, [41])).toEqual([{ n: 42 }]);
    expect(await runner.transaction(async (query) => [...(await query<{ n: number }>(STATEMENT, [1])), ...(await query<{ n: number }>(STATEMENT, [2]))])).toEqual([
      { n: 2 },
      { n: 3 },
    ]);
    await expect(runner.transaction(async (query) => query('SELECT no_such_column FROM "User"', []))).rejects.toThrow(/no_such_column/);
  });

  it('runs a script with its parameters as literals, and refuses any value that could carry a quote', async () => {
    const runner = sqlOf(t.app.ctx.db);
    const uuid = '0b0e8f3c-4a52-4c1e-9d3f-2b7a1c6e5d40';
    expect(await runner.script([{ sql: 'SELECT 10 -$1 AS n', params: [-5] }, { sql: 'SELECT $1::uuid AS id, $2::int[] AS xs', params: [uuid, [1, -2, null]] }])).toEqual([
      [{ n: 15 }],
      [{ id: uuid, xs: [1, -2, null] }],
    ]);
    const at = new Date('2026-12-07T04:38:16.123Z');
    expect(await runner.script([{ sql: 'SELECT $1::timestamptz AS at, $2::boolean AS yes, $3::text AS word, $4::boolean[] AS flags', params: [at, true, 'CAP_REACHED', [false]] }])).toEqual([
      [{ at, yes: true, word: 'CAP_REACHED', flags: [false] }],
    ]);
    await expect(runner.script([{ sql: 'SELECT $1::text', params: ["x'; DROP TABLE \"User\"; --"] }])).rejects.toThrow(/refused/);
    // Unquoted in an array literal, a word NULL would read as a null element.
    await expect(runner.script([{ sql: 'SELECT $1::text[]', params: [['NULL']] }])).rejects.toThrow(/refused/);
    await expect(runner.script([{ sql: 'SELECT $1::float8', params: [0.5] }])).rejects.toThrow(/refused/);
  });

  it('prepares script statements once (PREPARE, then EXECUTE), and a failed script leaves none half-known', async () => {
    // One connection on Postgres, so that every script meets the statements the previous ones prepared.
    const pool = process.env.DATABASE_URL ? new pg.Pool({ connectionString: t.database.env.DATABASE_URL, max: 1 }) : null;
    const runner = pool ? sqlRunner({ pool }) : sqlOf(t.app.ctx.db);
    try {
      const twice = { sql: 'SELECT $1::int * 2 AS n', params: [21] };
      for (const n of [21, 4]) expect(await runner.script([{ ...twice, params: [n] }])).toEqual([[{ n: 2 * n }]]);
      // The first statement fails, so the second one's PREPARE never runs: it must be prepared by the next script.
      const after = { sql: 'SELECT $1::int - 1 AS n, 0 AS after', params: [8] };
      await expect(runner.script([{ sql: 'SELECT 1 / $1::int', params: [0] }, after])).rejects.toThrow(/division by zero/);
      expect(await runner.script([after, twice])).toEqual([[{ n: 7, after: 0 }], [{ n: 42 }]]);
      if (pool) {
        const { rows } = await pool.query<{ statement: string }>("SELECT statement FROM pg_prepared_statements WHERE name LIKE 'juxta_script_%' ORDER BY statement");
        expect(rows.map((r) => r.statement)).toEqual([expect.stringContaining(after.sql), expect.stringContaining(twice.sql)]);
      }
    } finally {
      await pool?.end();
    }
  });

  it('finishes a transaction with its last statements and COMMIT (one round trip on Postgres); a failure there rolls it all back', async () => {
    const pool = process.env.DATABASE_URL ? new pg.Pool({ connectionString: t.database.env.DATABASE_URL, max: 1 }) : null;
    const runner = pool ? sqlRunner({ pool }) : sqlOf(t.app.ctx.db);
    await runner.execute('CREATE TABLE finish_test (n int)', []);
    const insert = { sql: 'INSERT INTO finish_test (n) VALUES ($1::int) RETURNING n', params: [1] };
    const count = async () => (await runner.query<{ n: number }>('SELECT count(*)::int AS n FROM finish_test', []))[0]!.n;
    try {
      const rows = await runner.transaction(async (query, finish) => {
        await query(insert.sql, [0]);
        const out = await finish([insert, { sql: 'SELECT $1::int * 2 AS n', params: [21] }]);
        // The transaction is over: nothing more runs in it.
        if (pool) await expect(query('SELECT 1', [])).rejects.toThrow(/after finish/);
        return out;
      });
      expect(rows).toEqual([[{ n: 1 }], [{ n: 42 }]]);
      expect(await count()).toBe(2);
      // The last statement fails: the earlier one is undone, and the connection still serves.
      await expect(
        runner.transaction(async (query, finish) => {
          await query(insert.sql, [2]);
          return finish([{ sql: 'SELECT 1 / $1::int', params: [0] }]);
        }),
      ).rejects.toThrow(/division by zero/);
      expect(await count()).toBe(2);
      expect(await runner.transaction(async (_query, finish) => finish([{ sql: 'SELECT $1::int + 1 AS n', params: [1] }]))).toEqual([[{ n: 2 }]]);
    } finally {
      await runner.execute('DROP TABLE finish_test', []);
      await pool?.end();
    }
  });

  it("opens a transaction with statements run after its lead, in BEGIN's round trip on Postgres; a failure there rolls it back", async () => {
    const pool = process.env.DATABASE_URL ? new pg.Pool({ connectionString: t.database.env.DATABASE_URL, max: 1 }) : null;
    const runner = pool ? sqlRunner({ pool }) : sqlOf(t.app.ctx.db);
    await runner.execute('CREATE TABLE opening_test (n int)', []);
    const insert = { sql: 'INSERT INTO opening_test (n) VALUES ($1::int) RETURNING n', params: [1] };
    const count = async () => (await runner.query<{ n: number }>('SELECT count(*)::int AS n FROM opening_test', []))[0]!.n;
    const sent = vi.spyOn(pg.Client.prototype, 'query');
    try {
      const rows = await runner.transaction(
        async (_query, finish, opening) => [opening, await finish([{ sql: 'SELECT $1::int * 2 AS n', params: [21] }])],
        { lead: { sql: 'SELECT $1::int AS lead', params: [7] }, opening: [insert, { sql: 'SELECT count(*)::int AS n FROM opening_test', params: [] }] },
      );
      expect(rows).toEqual([[[{ n: 1 }], [{ n: 1 }]], [[{ n: 42 }]]]);
      // BEGIN with the lead and the opening statements, then the last statement with COMMIT.
      if (pool) expect(sent).toHaveBeenCalledTimes(2);
      expect(await count()).toBe(1);
      // An opening statement fails: the transaction is undone, and the runner still serves (on a new connection).
      await expect(runner.transaction(async () => 'never', { opening: [insert, { sql: 'SELECT 1 / $1::int', params: [0] }] })).rejects.toThrow(/division by zero/);
      expect(await count()).toBe(1);
      expect(await runner.transaction(async (_query, _finish, [after]) => after, { opening: [{ ...insert, params: [3] }] })).toEqual([{ n: 3 }]);
      expect(await count()).toBe(2);
    } finally {
      sent.mockRestore();
      await runner.execute('DROP TABLE opening_test', []);
      await pool?.end();
    }
  });

  it.runIf(process.env.DATABASE_URL)('prepares each statement once per Postgres connection, under one name for one text', async () => {
    const pool = new pg.Pool({ connectionString: t.database.env.DATABASE_URL, max: 1 });
    try {
      const runner = sqlRunner({ pool });
      for (const n of [1, 2, 3]) expect(await runner.query<{ n: number }>(STATEMENT, [n])).toEqual([{ n: n + 1 }]);
      await runner.transaction((query) => query('SELECT $1::text AS other', ['x']));
      const { rows } = await pool.query<{ name: string; statement: string }>('SELECT name, statement FROM pg_prepared_statements ORDER BY statement');
      const ours = rows.filter((r) => r.name.startsWith('juxta_'));
      expect(ours.map((r) => r.statement).sort()).toEqual(['SELECT $1::int + 1 AS n', 'SELECT $1::text AS other']);
      expect(new Set(ours.map((r) => r.name)).size).toBe(2);
    } finally {
      await pool.end();
    }
  });

  it.runIf(process.env.DATABASE_URL)("keeps an idle connection open past pg's default idle timeout (10 s)", async () => {
    const runner = sqlOf(t.app.ctx.db);
    const pid = async () => (await runner.query<{ pid: number }>('SELECT pg_backend_pid() AS pid', []))[0]!.pid;
    await pid();
    // The connection goes back to the pool under fake timers and waits idle through a minute; the next query takes it again.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    let idle: number;
    try {
      idle = await pid();
      vi.advanceTimersByTime(60_000);
    } finally {
      vi.useRealTimers();
    }
    expect(await pid()).toBe(idle);
  });
});
