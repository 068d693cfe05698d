// The stats' judgment table does not depend on the order in which the judgments read returns its raters (that of the
// database's aggregation, which changes with its plan: a spill to disk, the database): the bootstraps number their
// units by the table's rows, so their intervals would change with it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../server/db/handle';
import { STATS_SQL } from '../../server/db/sql/stats';
import { readJudgmentTable } from '../../server/services/stats/judgment-table';
import { startTestApp, type TestApp } from '../helpers/app';
import { seedStats, type StatsJudgment } from '../../testkit/factory';

/** `db` with the raters of the judgments read in reverse order. */
function reversingRaters(db: Db): Db {
  const reversed = <T>(sql: string, rows: T[]) => (sql === STATS_SQL.judgments ? [...rows].reverse() : rows);
  return {
    ...db,
    sql: {
      ...db.sql,
      query: async (sql, params) => reversed(sql, await db.sql.query(sql, params)),
      transaction: (work, options) =>
        db.sql.transaction((query, finish, opening) => work(async (sql, params) => reversed(sql, await query(sql, params)), finish, opening), options),
    },
  };
}

describe('judgment table', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t.close());

  it('lists the judgments rater by rater in the same order whatever order the read gives the raters', async () => {
    const choices = ['A', 'B', 'TIE'] as const;
    const judgments: StatsJudgment[] = [];
    for (let comparison = 0; comparison < 6; comparison++) {
      for (let rater = 0; rater < 3; rater++) judgments.push({ comparison, rater, choice: choices[(comparison + rater) % 3]! });
    }
    const comparisons = Array.from({ length: 6 }, (_, i) => ({ modelA: `m${i % 3}`, modelB: `m${(i + 1) % 3}` }));
    const s = await seedStats(t.app, { comparisons, raters: ['Ann', 'Bob', 'Cy'], judgments });
    const since = new Date();
    const table = await readJudgmentTable(t.app.ctx.db, s.campaignId, null, since);
    const reversed = await readJudgmentTable(reversingRaters(t.app.ctx.db), s.campaignId, null, since);
    expect(table.rater.length).toBe(18);
    expect(reversed).toEqual(table);
    // Rater by rater, in the order of the raters (by name).
    expect([...table.rater]).toEqual([...table.rater].sort((x, y) => x - y));
  });
});
