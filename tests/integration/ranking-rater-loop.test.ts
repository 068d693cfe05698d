// The rater loop for ranking tasks through HTTP: cards in a stored random order, rankings stored in slot terms,
// the refusals, replay and undo, with the pairs' lease rules (two leases, no repeats, exact k) checked in SQL.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TAssignment, TAssignmentQueue } from '../../server/contract/rater';
import { client, createUser, startTestApp, type TestApp, type TestUser } from '../helpers/app';
import { seedComparisons } from '../../testkit/factory';

describe('ranking tasks in the rater loop', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t.close());

  const prisma = () => t.app.ctx.db.prisma;
  const next = (u: TestUser, campaignId: string) => client(t.app, u).get(`/api/campaigns/${campaignId}/assignments/next`);
  const judge = (u: TestUser, id: string, body: object, idempotencyKey = randomUUID()) =>
    client(t.app, u).post(`/api/assignments/${id}/judgment`).send({ timeMs: 1500, idempotencyKey, ...body });
  /** Card index of each content as shown, to answer in terms of what the rater saw. */
  const cardOf = (a: TAssignment, reply: number) => a.responses!.findIndex((r) => r.content.startsWith(`Reply ${reply} `));

  it('shows K cards (no left/right, no model, no ids) in an order stored per assignment and varying between raters', async () => {
    const s = await seedComparisons(prisma(), { prompts: 6, models: 5, ranking: true });
    const orders = new Set<string>();
    for (let i = 0; i < 6; i++) {
      const u = await createUser(t.app, 'RATER', [s.campaignId]);
      const res = await next(u, s.campaignId).expect(200);
      const { assignment } = res.body as TAssignmentQueue;
      expect(assignment).not.toHaveProperty('left');
      expect(assignment).not.toHaveProperty('right');
      expect(assignment.responses).toHaveLength(5);
      // Raters tell a ranking task by its cards; the design they get is the scale, criteria and rationale.
      expect(assignment.design).not.toHaveProperty('task');
      for (const model of s.models) expect(res.text).not.toContain(model);
      const row = await prisma().assignment.findUniqueOrThrow({ where: { id: assignment.id }, include: { comparison: true } });
      expect([...row.shownOrder].sort()).toEqual([0, 1, 2, 3, 4]);
      const contents = await prisma().response.findMany({ where: { id: { in: row.comparison.slots } }, select: { id: true, content: true } });
      const bySlot = row.comparison.slots.map((id) => contents.find((c) => c.id === id)!.content);
      expect(assignment.responses!.map((r) => r.content)).toEqual(row.shownOrder.map((slot) => bySlot[slot]));
      orders.add(row.shownOrder.join());
      // A reload shows the same cards in the same order.
      expect((await next(u, s.campaignId).expect(200)).body.assignment.responses).toEqual(assignment.responses);
    }
    expect(orders.size).toBeGreaterThan(1);
  });

  it('stores the ranking in slot terms with ties, sets choice from slots 0 and 1, and gives it back as shown', async () => {
    const s = await seedComparisons(prisma(), { prompts: 1, models: 4, votes: 2, ranking: true });
    const u = await createUser(t.app, 'RATER', [s.campaignId]);
    const { assignment } = (await next(u, s.campaignId).expect(200)).body as TAssignmentQueue;
    // Reply 2 best, then replies 0 and 3 tied, then reply 1 (replies are the seeded slots 0..3).
    const ranking = [[cardOf(assignment, 2)], [cardOf(assignment, 0), cardOf(assignment, 3)].sort(), [cardOf(assignment, 1)]];
    const key = randomUUID();
    const res = await judge(u, assignment.id, { ranking }, key).expect(200);
    expect(res.body.judgment).toMatchObject({ ranking, allBad: false });
    expect(res.body.judgment).not.toHaveProperty('choice');
    const stored = await prisma().judgment.findFirstOrThrow({ where: { assignmentId: assignment.id } });
    expect(stored.ranking).toEqual([[2], [0, 3], [1]]);
    expect(stored.choice).toBe('A');
    const comparison = await prisma().comparison.findFirstOrThrow({ where: { campaignId: s.campaignId } });
    expect(comparison).toMatchObject({ submitted: 1, leased: 0 });
    // A retry with the same key gets the first answer; another answer under it is refused.
    expect((await judge(u, assignment.id, { ranking }, key).expect(200)).body.judgment).toEqual(res.body.judgment);
    const reversed = [...ranking].reverse();
    expect((await judge(u, assignment.id, { ranking: reversed }, key).expect(409)).body.error.code).toBe('IDEMPOTENCY_CONFLICT');
    // Undo gives the ranking back in the rater's card order and reopens the lease.
    const undo = await client(t.app, u).post(`/api/assignments/${assignment.id}/undo`).expect(200);
    expect(undo.body.undone).toMatchObject({ ranking, allBad: false });
    expect(undo.body.assignment.responses).toEqual(assignment.responses);
    expect(await prisma().comparison.findFirstOrThrow({ where: { campaignId: s.campaignId } })).toMatchObject({ submitted: 0, leased: 1 });
  });

  it('refuses duplicate, out-of-range and missing cards, a pair answer, and ties or all bad the design forbids, changing nothing', async () => {
    const strict = { scale: { allowTie: false, allowBothBad: false, strengthLevels: [] } };
    const s = await seedComparisons(prisma(), { prompts: 1, models: 3, ranking: true, design: strict });
    const u = await createUser(t.app, 'RATER', [s.campaignId]);
    const { assignment } = (await next(u, s.campaignId).expect(200)).body as TAssignmentQueue;
    const cases: [object, string][] = [
      [{ ranking: [[0], [1], [1]] }, 'card 1 is ranked twice'],
      [{ ranking: [[0], [1], [3]] }, 'card index 3 is out of range'],
      [{ ranking: [[0], [2]] }, 'card 1 missing'],
      [{ ranking: [[0, 1], [2]] }, 'does not allow ties'],
      [{ allBad: true }, 'does not offer "all bad"'],
      [{ choice: 'left' }, 'send a ranking, not a choice'],
      [{}, 'give a ranking'],
      [{ ranking: [[0], [1], [2]], criteria: { x: { ranking: [[0], [1], [2]] } } }, 'one overall answer'],
    ];
    for (const [body, message] of cases) {
      const res = await judge(u, assignment.id, body).expect(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
      expect(res.body.error.message).toContain(message);
    }
    expect(await prisma().judgment.count({ where: { campaignId: s.campaignId } })).toBe(0);
    expect(await prisma().comparison.findFirstOrThrow({ where: { campaignId: s.campaignId } })).toMatchObject({ submitted: 0, leased: 1 });
    // A ranking sent to a pair is refused too.
    const pairs = await seedComparisons(prisma(), { prompts: 1, models: 2 });
    const p = await createUser(t.app, 'RATER', [pairs.campaignId]);
    const pair = (await next(p, pairs.campaignId).expect(200)).body.assignment;
    expect((await judge(p, pair.id, { choice: 'left', ranking: [[0], [1]] }).expect(400)).body.error.message).toContain('not a ranking');
    // A flag on a ranking task is about its responses as a whole.
    const flag = (target: string) => client(t.app, u).post(`/api/assignments/${assignment.id}/flag`).send({ reason: 'broken', target, note: 'card 2' });
    expect((await flag('left').expect(400)).body.error.message).toContain('target "both"');
    await flag('both').expect(200);
    expect(await prisma().flag.findFirstOrThrow({ where: { assignmentId: assignment.id } })).toMatchObject({ target: 'BOTH', note: 'card 2' });
  });

  it('takes all bad (alone: every card tied) and one ranking per criterion when the design has them', async () => {
    const design = {
      scale: { allowTie: true, allowBothBad: true, strengthLevels: [] },
      criteria: [{ name: 'helpfulness', label: 'Helpfulness' }, { name: 'harmlessness', label: 'Harmlessness' }],
    };
    const s = await seedComparisons(prisma(), { prompts: 2, models: 3, ranking: true, design });
    const u = await createUser(t.app, 'RATER', [s.campaignId]);
    const queue = (await next(u, s.campaignId).expect(200)).body as TAssignmentQueue;
    const criteria = { helpfulness: { ranking: [[0], [1], [2]] }, harmlessness: { ranking: [[2], [0, 1]] } };
    expect((await judge(u, queue.assignment.id, { allBad: true, criteria: { helpfulness: criteria.helpfulness } }).expect(400)).body.error.message).toContain('Harmlessness');
    expect((await judge(u, queue.assignment.id, { allBad: true, criteria: { ...criteria, helpfulness: { choice: 'left' } } }).expect(400)).body.error.message).toContain('rank the responses');
    const res = await judge(u, queue.assignment.id, { allBad: true, criteria }).expect(200);
    expect(res.body.judgment).toMatchObject({ allBad: true, ranking: [[0, 1, 2]], criteria });
    const stored = await prisma().judgment.findFirstOrThrow({ where: { assignmentId: queue.assignment.id }, include: { assignment: true } });
    expect(stored).toMatchObject({ allBad: true, ranking: [[0, 1, 2]], choice: 'BOTH_BAD' });
    const toSlots = (r: number[][]) => r.map((g) => g.map((card) => stored.assignment.shownOrder[card]!).sort());
    expect(stored.criteria).toEqual({ helpfulness: { ranking: toSlots(criteria.helpfulness.ranking) }, harmlessness: { ranking: toSlots(criteria.harmlessness.ranking) } });
  });

  it('leases at most two tasks per rater, never one twice, and stops at exactly k per task', async () => {
    const s = await seedComparisons(prisma(), { prompts: 3, models: 4, votes: 3, ranking: true });
    const raters = await Promise.all([0, 1, 2].map(() => createUser(t.app, 'RATER', [s.campaignId])));
    for (const u of raters) {
      let queue = (await next(u, s.campaignId).expect(200)).body as TAssignmentQueue;
      expect(await prisma().assignment.count({ where: { raterId: u.id, status: 'LEASED' } })).toBe(2);
      for (;;) {
        const res = await judge(u, queue.assignment.id, { ranking: [[0], [1], [2], [3]] }).expect(200);
        if (!res.body.next) break;
        queue = res.body.next;
      }
    }
    const tasks = await prisma().comparison.findMany({ where: { campaignId: s.campaignId } });
    expect(tasks.map((c) => [c.submitted, c.leased])).toEqual([[3, 0], [3, 0], [3, 0]]);
    expect((await next(await createUser(t.app, 'RATER', [s.campaignId]), s.campaignId).expect(204)).headers['juxta-stop']).toBe('DONE');
    const judged = await prisma().judgment.groupBy({ by: ['comparisonId', 'raterId'], where: { campaignId: s.campaignId }, _count: true });
    expect(judged.every((g) => g._count === 1)).toBe(true);
    expect(judged).toHaveLength(9);
  });
});
