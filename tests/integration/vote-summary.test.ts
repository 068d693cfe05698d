// The explorer's vote summary on Comparison (votes per choice, dispute, last activity), kept by statement
// triggers that add what each statement changed: after every kind of write that moves it (the rater loop's
// judge and undo, an exclusion and re-inclusion, bulk inserts and updates of many rows, judgments of raters
// excluded or not members), it equals a recount from the judgments themselves.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TAssignmentQueue } from '../../server/contract/rater';
import { client, createUser, startTestApp, type TestApp, type TestUser } from '../helpers/app';
import { seedComparisons, type SeededComparisons } from '../../testkit/factory';

interface Summary {
  id: number;
  votesA: number;
  votesB: number;
  votesTie: number;
  votesBothBad: number;
  dispute: number;
  lastActivityAt: Date;
}

const STORED = `SELECT c.id, c."votesA", c."votesB", c."votesTie", c."votesBothBad", c.dispute, c."lastActivityAt"
  FROM "Comparison" c WHERE c."campaignId" = $1::uuid ORDER BY c.id`;

// Written apart from the migration's functions on purpose: the rule, stated once more in plain SQL.
const RECOUNT = `SELECT c.id, v.a AS "votesA", v.b AS "votesB", v.t AS "votesTie", v.bb AS "votesBothBad",
    CASE WHEN v.n = 0 THEN 0 ELSE 1000 * (v.n - GREATEST(v.a, v.b, v.t, v.bb)) / v.n END AS dispute,
    GREATEST(c."createdAt", (SELECT max(GREATEST(j."createdAt", j."undoneAt")) FROM "Judgment" j WHERE j."comparisonId" = c.id)) AS "lastActivityAt"
  FROM "Comparison" c, LATERAL (
    SELECT count(*) FILTER (WHERE j.choice = 'A')::int AS a, count(*) FILTER (WHERE j.choice = 'B')::int AS b,
      count(*) FILTER (WHERE j.choice = 'TIE')::int AS t, count(*) FILTER (WHERE j.choice = 'BOTH_BAD')::int AS bb, count(j.id)::int AS n
    FROM "Judgment" j LEFT JOIN "CampaignMember" m ON m."campaignId" = j."campaignId" AND m."userId" = j."raterId"
    WHERE j."comparisonId" = c.id AND j."undoneAt" IS NULL AND m.excluded IS NOT TRUE) v
  WHERE c."campaignId" = $1::uuid ORDER BY c.id`;

describe('vote summary kept by statement triggers', () => {
  let t: TestApp;
  let admin: TestUser;
  let s: SeededComparisons;
  let raters: TestUser[];
  const choices = ['left', 'right', 'tie', 'both_bad'] as const;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await createUser(t.app, 'ADMIN');
    s = await seedComparisons(t.app.ctx.db.prisma, { prompts: 4, models: 3, votes: 4, design: { scale: { allowTie: true, allowBothBad: true, strengthLevels: [] } } });
    raters = await Promise.all(Array.from({ length: 5 }, () => createUser(t.app, 'RATER', [s.campaignId])));
  });
  afterAll(async () => t.close());

  const sql = <T>(text: string, values: unknown[] = [s.campaignId]) => t.app.ctx.db.sql.query<T>(text, values);
  const expectSummaryRight = async () => {
    const [stored, recount] = await Promise.all([sql<Summary>(STORED), sql<Summary>(RECOUNT)]);
    expect(stored.length).toBeGreaterThan(0);
    expect(stored.map((row) => ({ ...row, lastActivityAt: new Date(row.lastActivityAt).toISOString() }))).toEqual(
      recount.map((row) => ({ ...row, lastActivityAt: new Date(row.lastActivityAt).toISOString() })),
    );
  };
  const judgeNext = async (u: TestUser, n: number) => {
    let queue = (await client(t.app, u).get(`/api/campaigns/${s.campaignId}/assignments/next`).expect(200)).body as TAssignmentQueue;
    const judged: string[] = [];
    for (let i = 0; i < n && queue.assignment; i++) {
      const id = queue.assignment.id;
      const res = await client(t.app, u)
        .post(`/api/assignments/${id}/judgment`)
        .send({ choice: choices[(i + judged.length * 3 + u.id.charCodeAt(0)) % 4], timeMs: 900, idempotencyKey: randomUUID() })
        .expect(200);
      judged.push(id);
      queue = res.body.next as TAssignmentQueue;
    }
    return judged;
  };

  it('follows the rater loop: judgments, an undo, a judgment again on the undone assignment', async () => {
    for (const u of raters) await judgeNext(u, 4);
    await expectSummaryRight();
    const [u] = raters as [TestUser];
    const [last] = (await judgeNext(u, 1)).slice(-1);
    await client(t.app, u).post(`/api/assignments/${last}/undo`).expect(200);
    await expectSummaryRight();
    await client(t.app, u).post(`/api/assignments/${last}/judgment`).send({ choice: 'both_bad', timeMs: 700, idempotencyKey: randomUUID() }).expect(200);
    await expectSummaryRight();
    const votes = (await sql<{ n: number }>(`SELECT sum("votesA" + "votesB" + "votesTie" + "votesBothBad")::int AS n FROM "Comparison" WHERE "campaignId" = $1::uuid`))[0]!.n;
    expect(votes).toBe(21);
  });

  it('follows an exclusion and a re-inclusion, and judgments of an excluded rater or a non-member written in bulk', async () => {
    const [, r1, r2] = raters as [TestUser, TestUser, TestUser];
    await client(t.app, admin).post(`/api/campaigns/${s.campaignId}/raters/${r1.id}/exclude`).send({}).expect(200);
    await expectSummaryRight();
    await client(t.app, admin).post(`/api/campaigns/${s.campaignId}/raters/${r1.id}/include`).send({}).expect(200);
    await expectSummaryRight();
    await client(t.app, admin).post(`/api/campaigns/${s.campaignId}/raters/${r2.id}/exclude`).send({}).expect(200);
    // One INSERT of many rows: an excluded rater's (no vote, still activity), a non-member's (a vote, as
    // before), and a member's already undone (no vote).
    const outsider = await createUser(t.app, 'RATER');
    const { prisma } = t.app.ctx.db;
    // A second import: comparisons none of these raters had.
    const fresh = (await seedComparisons(prisma, { campaignId: s.campaignId, prompts: 2, models: 3, votes: 4 })).comparisonIds;
    const later = Date.now() + 60_000;
    const rows = [r2.id, outsider.id, raters[3]!.id].flatMap((raterId, i) =>
      fresh.map((comparisonId, j) => ({ raterId, comparisonId, choice: (['A', 'B', 'TIE', 'BOTH_BAD'] as const)[(i + j) % 4], at: new Date(later + (i * 6 + j) * 1000) })),
    );
    await prisma.assignment.createMany({
      data: rows.map((r, i) => ({ id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, campaignId: s.campaignId, comparisonId: r.comparisonId, raterId: r.raterId, leftIsA: true, guidelineVersion: 1, status: 'SUBMITTED' as const, issuedAt: r.at, expiresAt: r.at, closedAt: r.at })),
    });
    const created = await prisma.judgment.createManyAndReturn({
      select: { id: true },
      data: rows.map((r, i) => ({
        assignmentId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
        campaignId: s.campaignId,
        comparisonId: r.comparisonId,
        raterId: r.raterId,
        choice: r.choice,
        leftIsA: true,
        timeMs: 500,
        idempotencyKey: randomUUID(),
        guidelineVersion: 1,
        createdAt: r.at,
        undoneAt: r.raterId === raters[3]!.id && r.comparisonId === fresh[0] ? new Date(r.at.getTime() + 500) : null,
      })),
    });
    await expectSummaryRight();
    // One UPDATE of many rows: undo several, restore one undone, change a choice (the old vote goes, the new comes).
    const ids = created.map((row) => row.id);
    await prisma.judgment.updateMany({ where: { id: { in: ids.slice(6, 12) } }, data: { undoneAt: new Date(later + 120_000) } });
    await prisma.judgment.updateMany({ where: { id: { in: ids.slice(12, 13) } }, data: { undoneAt: null } });
    await prisma.judgment.updateMany({ where: { id: { in: ids.slice(13, 16) } }, data: { choice: 'BOTH_BAD' } });
    await expectSummaryRight();
    // Including r2 again counts their bulk-written judgments too.
    await client(t.app, admin).post(`/api/campaigns/${s.campaignId}/raters/${r2.id}/include`).send({}).expect(200);
    await expectSummaryRight();
  });
});
