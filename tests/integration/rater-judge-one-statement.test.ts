// A judgment on a lease this instance handed out is stored by one statement (RATING_SQL.judgeLeased), with
// no read of the assignment first; whenever a fact it relied on no longer holds (the design edited in
// place, the rater excluded, the campaign paused past the lease), it stores nothing and the long way
// answers as it always did. A lease this instance did not hand out takes the long way. Ranking tasks too
// (their card order is one of the facts).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TAssignmentQueue } from '../../server/contract/rater';
import { RATING_SQL } from '../../server/db/sql/rating';
import { client, createUser, startTestApp, type TestApp, type TestUser } from '../helpers/app';
import { seedComparisons } from '../../testkit/factory';

describe('a judgment in one statement', () => {
  let t: TestApp;
  let admin: TestUser;
  const statements: string[] = [];
  beforeAll(async () => {
    t = await startTestApp();
    admin = await createUser(t.app, 'ADMIN');
    // Record the catalogue statements the app sends outside transactions (the judgment's, not the claim's).
    const sql = t.app.ctx.db.sql;
    const query = sql.query.bind(sql);
    sql.query = (text, params) => {
      statements.push(text);
      return query(text, params);
    };
  });
  afterAll(async () => t.close());

  const prisma = () => t.app.ctx.db.prisma;
  const next = async (u: TestUser, campaignId: string) => (await client(t.app, u).get(`/api/campaigns/${campaignId}/assignments/next`).expect(200)).body as TAssignmentQueue;
  const judge = (u: TestUser, id: string, body: object = { choice: 'left' }) =>
    client(t.app, u).post(`/api/assignments/${id}/judgment`).send({ timeMs: 800, idempotencyKey: randomUUID(), ...body });
  const sent = async (work: () => Promise<unknown>) => {
    statements.length = 0;
    await work();
    return { leased: statements.includes(RATING_SQL.judgeLeased), read: statements.includes(RATING_SQL.ownAssignment) };
  };

  it('stores a judgment on a lease it handed out without reading the assignment first, in canonical order', async () => {
    const s = await seedComparisons(prisma());
    const u = await createUser(t.app, 'RATER', [s.campaignId]);
    const q = await next(u, s.campaignId);
    const path = await sent(() => judge(u, q.assignment.id, { choice: 'right' }).expect(200));
    expect(path).toEqual({ leased: true, read: false });
    const stored = await prisma().judgment.findFirstOrThrow({ where: { assignmentId: q.assignment.id }, include: { assignment: true } });
    expect(stored.choice).toBe(stored.assignment.leftIsA ? 'B' : 'A');
    expect(stored.assignment.status).toBe('SUBMITTED');
    expect(stored).toMatchObject({ shownOrder: [], rankingText: null });
    // Judging it again is refused the long way (ALREADY_JUDGED).
    expect(await sent(() => judge(u, q.assignment.id, { choice: 'left' }).expect(409))).toEqual({ leased: false, read: true });
  });

  it('stores a ranking (and all bad) on a lease it handed out in one statement, in slot terms', async () => {
    const s = await seedComparisons(prisma(), { prompts: 3, models: 4, ranking: true, design: { scale: { allowTie: true, allowBothBad: true, strengthLevels: [] } } });
    const u = await createUser(t.app, 'RATER', [s.campaignId]);
    const q = await next(u, s.campaignId);
    // Cards as shown, best first: the reverse of the shown order.
    const ranking = [[3], [2], [1], [0]];
    const path = await sent(() => judge(u, q.assignment.id, { ranking }).expect(200));
    expect(path).toEqual({ leased: true, read: false });
    const first = await prisma().judgment.findFirstOrThrow({ where: { assignmentId: q.assignment.id }, include: { assignment: true } });
    expect(first.ranking).toEqual(ranking.map(([card]) => [first.assignment.shownOrder[card!]]));
    expect(first.allBad).toBe(false);
    // The card order and the ranking's text are stored with the judgment (the stats read them there).
    expect([...first.shownOrder].sort()).toEqual([0, 1, 2, 3]);
    expect(first.shownOrder).toEqual(first.assignment.shownOrder);
    expect(first.rankingText).toBe(JSON.stringify(first.ranking));
    const second = q.next!;
    const allBad = await sent(async () => expect((await judge(u, second.id, { allBad: true }).expect(200)).body.judgment).toMatchObject({ allBad: true }));
    expect(allBad).toEqual({ leased: true, read: false });
    const stored = await prisma().judgment.findFirstOrThrow({ where: { assignmentId: second.id } });
    expect(stored).toMatchObject({ allBad: true, choice: 'BOTH_BAD' });
    // A pair answer to a ranking task is refused the long way, as before.
    const third = (await next(u, s.campaignId)).assignment;
    expect(await sent(() => judge(u, third.id, { choice: 'left' }).expect(400))).toEqual({ leased: false, read: true });
  });

  it('takes the long way for a lease it did not hand out', async () => {
    const s = await seedComparisons(prisma());
    const u = await createUser(t.app, 'RATER', [s.campaignId]);
    const comparison = await prisma().comparison.findFirstOrThrow({ where: { campaignId: s.campaignId } });
    const lease = await prisma().assignment.create({
      data: { campaignId: s.campaignId, comparisonId: comparison.id, raterId: u.id, leftIsA: true, guidelineVersion: 1, status: 'LEASED', expiresAt: new Date(Date.now() + 600_000) },
    });
    await prisma().comparison.update({ where: { id: comparison.id }, data: { leased: 1 } });
    expect(await sent(() => judge(u, lease.id).expect(200))).toEqual({ leased: false, read: true });
  });

  it('stores the card order and the ranking text of a ranking judged the long way', async () => {
    const s = await seedComparisons(prisma(), { prompts: 1, models: 4, ranking: true });
    const u = await createUser(t.app, 'RATER', [s.campaignId]);
    const comparison = await prisma().comparison.findFirstOrThrow({ where: { campaignId: s.campaignId } });
    const shownOrder = [2, 0, 3, 1];
    const lease = await prisma().assignment.create({
      data: { campaignId: s.campaignId, comparisonId: comparison.id, raterId: u.id, leftIsA: true, shownOrder, guidelineVersion: 1, status: 'LEASED', expiresAt: new Date(Date.now() + 600_000) },
    });
    await prisma().comparison.update({ where: { id: comparison.id }, data: { leased: 1 } });
    expect(await sent(() => judge(u, lease.id, { ranking: [[0], [1], [2], [3]] }).expect(200))).toEqual({ leased: false, read: true });
    const stored = await prisma().judgment.findFirstOrThrow({ where: { assignmentId: lease.id } });
    expect(stored).toMatchObject({ ranking: [[2], [0], [3], [1]], rankingText: '[[2],[0],[3],[1]]', shownOrder });
  });

  it('stores nothing when the design was edited in place since the lease, and the long way judges by the new one', async () => {
    const s = await seedComparisons(prisma(), { design: { scale: { allowTie: true, allowBothBad: false, strengthLevels: [] } } });
    const u = await createUser(t.app, 'RATER', [s.campaignId]);
    const q = await next(u, s.campaignId);
    // No judgment yet: the change edits guideline version 1 instead of starting version 2.
    const changed = await client(t.app, admin)
      .patch(`/api/campaigns/${s.campaignId}`)
      .send({ design: { scale: { allowTie: false, allowBothBad: false, strengthLevels: [] } } })
      .expect(200);
    expect(changed.body.guidelineVersion).toBe(1);
    const path = await sent(async () => expect((await judge(u, q.assignment.id, { choice: 'tie' }).expect(400)).body.error.message).toMatch(/tie/i));
    expect(path).toEqual({ leased: true, read: true });
    expect(await prisma().judgment.count({ where: { assignmentId: q.assignment.id } })).toBe(0);
  });

  it('stores nothing for a rater excluded since the lease, nor past the lease in a paused campaign', async () => {
    const s = await seedComparisons(prisma());
    const [u, v] = await Promise.all([createUser(t.app, 'RATER', [s.campaignId]), createUser(t.app, 'RATER', [s.campaignId])]);
    const [qu, qv] = await Promise.all([next(u, s.campaignId), next(v, s.campaignId)]);
    await client(t.app, admin).post(`/api/campaigns/${s.campaignId}/raters/${u.id}/exclude`).send({}).expect(200);
    const excluded = await sent(async () => expect((await judge(u, qu.assignment.id).expect(403)).body.error.code).toBe('NOT_A_MEMBER'));
    expect(excluded).toEqual({ leased: true, read: true });
    await client(t.app, admin).patch(`/api/campaigns/${s.campaignId}`).send({ status: 'PAUSED' }).expect(200);
    await prisma().assignment.update({ where: { id: qv.assignment.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const paused = await sent(async () => expect((await judge(v, qv.assignment.id).expect(409)).body.error.code).toBe('CAMPAIGN_NOT_ACTIVE'));
    expect(paused).toEqual({ leased: true, read: true });
    expect(await prisma().judgment.count({ where: { campaignId: s.campaignId } })).toBe(0);
  });
});
