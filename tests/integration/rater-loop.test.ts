// The rater loop through HTTP: claim, judge, skip, flag, undo, and the rules around them, checked in SQL.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { TAssignmentQueue } from '../../server/contract/rater';
import { client, createUser, startTestApp, type TestApp, type TestUser } from '../helpers/app';
import { seedComparisons } from '../../testkit/factory';
import { RATING_SQL } from '../../server/db/sql/rating';

const clock = { at: Date.now(), now: () => new Date(clock.at) };

describe('rater loop', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ overrides: { clock } });
  });
  afterAll(async () => t.close());

  const prisma = () => t.app.ctx.db.prisma;
  const next = (u: TestUser, campaignId: string, query = '') => client(t.app, u).get(`/api/campaigns/${campaignId}/assignments/next${query}`);
  const judge = (u: TestUser, id: string, body: object) =>
    client(t.app, u)
      .post(`/api/assignments/${id}/judgment`)
      .send({ timeMs: 1200, idempotencyKey: randomUUID(), ...body });
  const assignmentRow = (id: string) => prisma().assignment.findUniqueOrThrow({ where: { id }, include: { comparison: true } });

  it('answers members only: 403 for strangers and excluded raters, 409 for a paused campaign, no-store always', async () => {
    const s = await seedComparisons(prisma());
    const stranger = await createUser(t.app, 'RATER');
    const res = await next(stranger, s.campaignId).expect(403);
    expect(res.body.error.code).toBe('NOT_A_MEMBER');
    expect(res.headers['cache-control']).toBe('no-store');
    const excluded = await createUser(t.app, 'RATER', [s.campaignId]);
    await prisma().campaignMember.update({ where: { campaignId_userId: { campaignId: s.campaignId, userId: excluded.id } }, data: { excluded: true } });
    expect((await next(excluded, s.campaignId).expect(403)).body.error.code).toBe('NOT_A_MEMBER');
    const paused = await seedComparisons(prisma(), { status: 'PAUSED' });
    const member = await createUser(t.app, 'RATER', [paused.campaignId]);
    expect((await next(member, paused.campaignId).expect(409)).body.error.code).toBe('CAMPAIGN_NOT_ACTIVE');
    expect((await client(t.app, null).get(`/api/campaigns/${s.campaignId}/assignments/next`).expect(401)).body.error.code).toBe('UNAUTHENTICATED');
  });

  it('leases the current and the prefetched comparison, and a reload shows the same pair', async () => {
    const s = await seedComparisons(prisma());
    const u = await createUser(t.app, 'RATER', [s.campaignId]);
    const first = (await next(u, s.campaignId).expect(200)).body as TAssignmentQueue;
    expect(first.next).not.toBeNull();
    expect(first.assignment.left?.content).toMatch(/^Reply \d to question \d\.$/);
    expect(first.assignment.context).toEqual([{ role: 'user', content: expect.stringContaining('Question') }]);
    expect(first.progress).toEqual({ judgedToday: 0, remaining: s.comparisonIds.length });
    const again = (await next(u, s.campaignId).expect(200)).body as TAssignmentQueue;
    expect([again.assignment.id, again.next?.id]).toEqual([first.assignment.id, first.next?.id]);
    const leases = await prisma().assignment.findMany({ where: { raterId: u.id } });
    expect(leases).toHaveLength(2);
    const counters = await prisma().comparison.findMany({ where: { id: { in: leases.map((l) => l.comparisonId) } } });
    expect(counters.map((c) => c.leased)).toEqual([1, 1]);
    const single = await createUser(t.app, 'RATER', [s.campaignId]);
    expect((await next(single, s.campaignId, '?prefetch=0').expect(200)).body.next).toBeNull();
  });

  it('stores a judgment in canonical order, moves the counters and replies with the next queue', async () => {
    const s = await seedComparisons(prisma(), { design: { scale: { allowTie: true, allowBothBad: false, strengthLevels: ['Slightly', 'Better', 'Much'] } } });
    const u = await createUser(t.app, 'RATER', [s.campaignId]);
    const q = (await next(u, s.campaignId).expect(200)).body as TAssignmentQueue;
    const before = await assignmentRow(q.assignment.id);
    const res = await judge(u, q.assignment.id, { choice: 'left', strength: 2 }).expect(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body.judgment).toMatchObject({ assignmentId: q.assignment.id, choice: 'left', strength: 2, criteria: null, rationale: null });
    expect(res.body.next.assignment.id).toBe(q.next?.id);
    expect(res.body.next.next).not.toBeNull();
    expect(res.body.next.progress.judgedToday).toBe(1);
    const after = await assignmentRow(q.assignment.id);
    expect(after.status).toBe('SUBMITTED');
    expect(after.comparison).toMatchObject({ submitted: 1, leased: 0 });
    const j = await prisma().judgment.findFirstOrThrow({ where: { assignmentId: q.assignment.id } });
    expect(j).toMatchObject({ choice: before.leftIsA ? 'A' : 'B', strength: 2, guidelineVersion: 1, timeMs: 1200, activeAssignmentId: q.assignment.id });
    expect((await judge(u, q.assignment.id, { choice: 'right', strength: 1 }).expect(409)).body.error.code).toBe('ALREADY_JUDGED');
  });

  it('judges a lease by the guideline version it was leased under, when the design changes meanwhile', async () => {
    const strength = { allowTie: true, allowBothBad: false, strengthLevels: ['Slightly', 'Better', 'Much'] };
    const s = await seedComparisons(prisma(), { design: { scale: strength } });
    const u = await createUser(t.app, 'RATER', [s.campaignId]);
    const admin = await createUser(t.app, 'ADMIN');
    const q = (await next(u, s.campaignId).expect(200)).body as TAssignmentQueue;
    expect(q.next?.guidelineVersion).toBe(1);
    const first = await judge(u, q.assignment.id, { choice: 'left', strength: 3 }).expect(200);
    // Judgments exist, so dropping the strength scale starts guideline version 2.
    const changed = await client(t.app, admin)
      .patch(`/api/campaigns/${s.campaignId}`)
      .send({ design: { scale: { ...strength, strengthLevels: [] } } })
      .expect(200);
    expect(changed.body.guidelineVersion).toBe(2);
    // The prefetched lease was made under version 1: the rater saw a strength scale and answers with one.
    const held = first.body.next as TAssignmentQueue;
    expect(held.assignment).toMatchObject({ id: q.next!.id, guidelineVersion: 1 });
    expect(held.assignment.design.scale.strengthLevels).toHaveLength(3);
    const second = await judge(u, held.assignment.id, { choice: 'right', strength: 1 }).expect(200);
    const stored = await prisma().judgment.findFirstOrThrow({ where: { assignmentId: held.assignment.id } });
    expect(stored).toMatchObject({ strength: 1, guidelineVersion: 1 });
    // Leases made after the change show and take version 2.
    const later = second.body.next as TAssignmentQueue;
    const fresh = later.next ?? later.assignment;
    expect(fresh.guidelineVersion).toBe(2);
    expect(fresh.design.scale.strengthLevels).toEqual([]);
    expect((await judge(u, fresh.id, { choice: 'left', strength: 2 }).expect(400)).body.error.message).toMatch(/strength/);
  });

  it('refuses answers the task design does not allow, naming the field', async () => {
    const s = await seedComparisons(prisma(), {
      design: {
        scale: { allowTie: false, allowBothBad: false, strengthLevels: ['A bit', 'Much'] },
        criteria: [{ name: 'helpfulness', label: 'Helpfulness' }],
        rationale: { mode: 'required', minLength: 5 },
      },
    });
    const u = await createUser(t.app, 'RATER', [s.campaignId]);
    const id = ((await next(u, s.campaignId).expect(200)).body as TAssignmentQueue).assignment.id;
    const ok = { choice: 'right', strength: 1, criteria: { helpfulness: { choice: 'left', strength: 2 } }, rationale: 'Clearer steps.' };
    const field = async (body: object) => (await judge(u, id, body).expect(400)).body.error.details.field;
    expect(await field({ ...ok, choice: 'tie', strength: undefined })).toBe('choice');
    expect(await field({ ...ok, strength: undefined })).toBe('strength');
    expect(await field({ ...ok, criteria: {} })).toBe('criteria.helpfulness');
    expect(await field({ ...ok, rationale: 'no' })).toBe('rationale');
    expect((await judge(u, id, { choice: 'sideways' }).expect(400)).body.error.code).toBe('VALIDATION_FAILED');
    const row = await assignmentRow(id);
    await judge(u, id, ok).expect(200);
    const j = await prisma().judgment.findFirstOrThrow({ where: { assignmentId: id } });
    expect(j.criteria).toEqual({ helpfulness: { choice: row.leftIsA ? 'A' : 'B', strength: 2 } });
    expect(j.choice).toBe(row.leftIsA ? 'B' : 'A');
  });

  it('is idempotent on the key: a retry gets the first answer, another answer under the same key is a conflict', async () => {
    const s = await seedComparisons(prisma());
    const u = await createUser(t.app, 'RATER', [s.campaignId]);
    const q = (await next(u, s.campaignId).expect(200)).body as TAssignmentQueue;
    const key = randomUUID();
    const first = await judge(u, q.assignment.id, { choice: 'tie', idempotencyKey: key, timeMs: 900 }).expect(200);
    const retry = await judge(u, q.assignment.id, { choice: 'tie', idempotencyKey: key, timeMs: 950 }).expect(200);
    expect(retry.body.judgment).toEqual(first.body.judgment);
    expect((await judge(u, q.assignment.id, { choice: 'left', idempotencyKey: key }).expect(409)).body.error.code).toBe('IDEMPOTENCY_CONFLICT');
    expect((await judge(u, q.next!.id, { choice: 'tie', idempotencyKey: key }).expect(409)).body.error.code).toBe('IDEMPOTENCY_CONFLICT');
    expect(await prisma().judgment.count({ where: { raterId: u.id } })).toBe(1);
    const c = (await assignmentRow(q.assignment.id)).comparison;
    expect(c.submitted).toBe(1);
  });

  it("answers 404 for someone else's assignment, as for one that does not exist", async () => {
    const s = await seedComparisons(prisma());
    const [a, b] = [await createUser(t.app, 'RATER', [s.campaignId]), await createUser(t.app, 'RATER', [s.campaignId])];
    const id = ((await next(a, s.campaignId).expect(200)).body as TAssignmentQueue).assignment.id;
    const theirs = await judge(b, id, { choice: 'left' }).expect(404);
    const missing = await judge(b, randomUUID(), { choice: 'left' }).expect(404);
    // Every error carries its own request id; the rest must not tell the two apart.
    const { requestId: _a, ...theirError } = theirs.body.error;
    const { requestId: _b, ...missingError } = missing.body.error;
    expect(theirError).toEqual(missingError);
    for (const action of ['skip', 'undo']) await client(t.app, b).post(`/api/assignments/${id}/${action}`).expect(404);
  });

  it('takes a late judgment while the place is free, and answers LEASE_LOST once it went to someone else', async () => {
    const [a, b] = [await createUser(t.app, 'RATER'), await createUser(t.app, 'RATER')];
    const oneComparison = async () => {
      const s = await seedComparisons(prisma(), { prompts: 1, models: 2, votes: 1, leaseSeconds: 30 });
      for (const u of [a, b]) await prisma().campaignMember.create({ data: { campaignId: s.campaignId, userId: u.id } });
      const id = ((await next(a, s.campaignId).expect(200)).body as TAssignmentQueue).assignment.id;
      clock.at += 31_000;
      return { s, id };
    };
    // Expired and reclaimed (a's own next call reclaims it), nobody else took the place: counted.
    const reclaimed = await oneComparison();
    await next(a, reclaimed.s.campaignId).expect(204);
    expect((await assignmentRow(reclaimed.id)).status).toBe('EXPIRED');
    await judge(a, reclaimed.id, { choice: 'left' }).expect(200);
    // Expired, not yet reclaimed: counted.
    const stale = await oneComparison();
    await judge(a, stale.id, { choice: 'right' }).expect(200);
    // Expired and given to b: refused, explained.
    const lost = await oneComparison();
    const taken = ((await next(b, lost.s.campaignId).expect(200)).body as TAssignmentQueue).assignment.id;
    const res = await judge(a, lost.id, { choice: 'left' }).expect(409);
    expect(res.body.error).toMatchObject({ code: 'LEASE_LOST', message: expect.stringContaining('another rater') });
    await judge(b, taken, { choice: 'right' }).expect(200);
    for (const id of [reclaimed.id, stale.id, lost.id]) expect((await assignmentRow(id)).comparison).toMatchObject({ submitted: 1, leased: 0 });
    expect((await assignmentRow(lost.id)).status).toBe('EXPIRED');
  });

  it('skip releases the lease for good; flag stores the canonical target and closes it', async () => {
    const s = await seedComparisons(prisma(), { prompts: 2 });
    const u = await createUser(t.app, 'RATER', [s.campaignId]);
    const q = (await next(u, s.campaignId).expect(200)).body as TAssignmentQueue;
    const skipped = await client(t.app, u).post(`/api/assignments/${q.assignment.id}/skip`).expect(200);
    expect(skipped.body.next.assignment.id).toBe(q.next?.id);
    const row = await assignmentRow(q.assignment.id);
    expect(row.status).toBe('SKIPPED');
    expect(row.comparison.leased).toBe(0);
    const flagged = await client(t.app, u).post(`/api/assignments/${q.next!.id}/flag`).send({ reason: 'wrong_language', target: 'left', note: 'French' }).expect(200);
    expect(flagged.body.next.assignment.id).not.toBe(q.next?.id);
    const frow = await assignmentRow(q.next!.id);
    expect(frow).toMatchObject({ status: 'FLAGGED', comparison: { leased: 0, submitted: 0 } });
    const flag = await prisma().flag.findFirstOrThrow({ where: { assignmentId: q.next!.id } });
    expect(flag).toMatchObject({ reason: 'WRONG_LANGUAGE', target: frow.leftIsA ? 'A' : 'B', note: 'French', raterId: u.id });
    // Neither comes back.
    const seen = new Set([q.assignment.id, q.next!.id]);
    const comparisonsSeen = new Set([row.comparisonId, frow.comparisonId]);
    let queue = flagged.body as { next: TAssignmentQueue | null };
    while (queue.next) {
      const id = queue.next.assignment.id;
      expect(seen.has(id)).toBe(false);
      seen.add(id);
      const c = (await assignmentRow(id)).comparisonId;
      expect(comparisonsSeen.has(c)).toBe(false);
      comparisonsSeen.add(c);
      queue = (await judge(u, id, { choice: 'right' }).expect(200)).body;
    }
    expect(comparisonsSeen.size).toBe(s.comparisonIds.length);
  });

  it('undo takes back only the last judgment, within the window, and keeps it on record', async () => {
    const s = await seedComparisons(prisma());
    const u = await createUser(t.app, 'RATER', [s.campaignId]);
    const q = (await next(u, s.campaignId).expect(200)).body as TAssignmentQueue;
    clock.at += 5_000;
    const r1 = await judge(u, q.assignment.id, { choice: 'left' }).expect(200);
    const second = q.next!.id;
    clock.at += 5_000;
    await judge(u, second, { choice: 'right' }).expect(200);
    expect((await client(t.app, u).post(`/api/assignments/${q.assignment.id}/undo`).expect(409)).body.error.code).toBe('UNDO_WINDOW_PASSED');
    const undone = await client(t.app, u).post(`/api/assignments/${second}/undo`).expect(200);
    expect(undone.body.assignment.id).toBe(second);
    expect(undone.body.undone.choice).toBe('right');
    const row = await assignmentRow(second);
    expect(row).toMatchObject({ status: 'LEASED', comparison: { submitted: 0, leased: 1 } });
    expect(row.expiresAt.getTime()).toBeGreaterThan(clock.at);
    const kept = await prisma().judgment.findFirstOrThrow({ where: { assignmentId: second } });
    expect(kept).toMatchObject({ activeAssignmentId: null });
    expect(kept.undoneAt).not.toBeNull();
    // The reopened one is shown first again, and can be judged anew.
    expect(((await next(u, s.campaignId).expect(200)).body as TAssignmentQueue).assignment.id).toBe(second);
    await judge(u, second, { choice: 'left' }).expect(200);
    expect(await prisma().judgment.count({ where: { assignmentId: second } })).toBe(2);
    expect((await assignmentRow(second)).comparison).toMatchObject({ submitted: 1, leased: 0 });
    clock.at += 121_000;
    expect((await client(t.app, u).post(`/api/assignments/${second}/undo`).expect(409)).body.error.code).toBe('UNDO_WINDOW_PASSED');
    expect(r1.body.judgment.undoableUntil).toBeDefined();
  });

  it('honours the per-rater cap and ends with 204', async () => {
    const s = await seedComparisons(prisma(), { prompts: 3, maxJudgmentsPerRater: 3 });
    const u = await createUser(t.app, 'RATER', [s.campaignId]);
    let queue: TAssignmentQueue | null = (await next(u, s.campaignId).expect(200)).body;
    let judged = 0;
    while (queue) {
      queue = (await judge(u, queue.assignment.id, { choice: 'left' }).expect(200)).body.next;
      judged += 1;
    }
    expect(judged).toBe(3);
    await next(u, s.campaignId).expect(204);
  });

  it('never shows comparisons of an import that is not published', async () => {
    const s = await seedComparisons(prisma(), { prompts: 1, models: 2 });
    await seedComparisons(prisma(), { campaignId: s.campaignId, prompts: 3, importStatus: 'RUNNING' });
    const u = await createUser(t.app, 'RATER', [s.campaignId]);
    const q = (await next(u, s.campaignId).expect(200)).body as TAssignmentQueue;
    expect(q.next).toBeNull();
    expect(q.progress.remaining).toBe(1);
    expect((await assignmentRow(q.assignment.id)).comparisonId).toBe(s.comparisonIds[0]);
  });

  it('mixes gold in at the campaign rate, each gold item at most once per rater, never alone', async () => {
    const s = await seedComparisons(prisma(), { prompts: 6, gold: 4, goldRate: 0.5 });
    const u = await createUser(t.app, 'RATER', [s.campaignId]);
    let queue: TAssignmentQueue | null = (await next(u, s.campaignId).expect(200)).body;
    while (queue) queue = (await judge(u, queue.assignment.id, { choice: 'left' }).expect(200)).body.next;
    const rows = await prisma().judgment.findMany({ where: { raterId: u.id }, include: { comparison: true } });
    const gold = rows.filter((r) => r.isGold);
    expect(gold.length).toBeGreaterThan(0);
    expect(new Set(gold.map((g) => g.comparisonId)).size).toBe(gold.length);
    expect(rows.filter((r) => !r.isGold)).toHaveLength(s.comparisonIds.length);
    expect(gold.every((g) => g.comparison.isGold && g.comparison.target === 0)).toBe(true);
  });

  it('commits the claim asynchronously on Postgres and the judgment synchronously', async () => {
    const s = await seedComparisons(prisma());
    const u = await createUser(t.app, 'RATER', [s.campaignId]);
    const q = (await next(u, s.campaignId).expect(200)).body as TAssignmentQueue;
    const sql = t.app.ctx.db.sql;
    const SETTING = "SELECT current_setting('synchronous_commit') AS setting, pg_backend_pid() AS pid";
    const transaction = sql.transaction.bind(sql);
    const query = sql.query.bind(sql);
    const seen: { what: string; setting: string; pid: number }[] = [];
    // Each transaction reads the setting it runs with; the judgment (one statement, committed on its own) is followed
    // by a read of the session's setting on its connection (the pool hands back the connection released last).
    const tx = vi.spyOn(sql, 'transaction').mockImplementation((work, options) =>
      transaction(async (q, finish, opening) => {
        const [row] = await q<{ setting: string; pid: number }>(SETTING, []);
        seen.push({ what: options?.lead?.sql === RATING_SQL.lockMembership ? 'claim' : 'other transaction', ...row! });
        return work(q, finish, opening);
      }, options),
    );
    const judged = vi.spyOn(sql, 'query').mockImplementation(async <T>(text: string, params: unknown[]) => {
      const rows = await query<T>(text, params);
      if (text === RATING_SQL.judgeLeased || text === RATING_SQL.judge) {
        const [row] = await query<{ setting: string; pid: number }>(SETTING, []);
        seen.push({ what: 'judgment', ...row! });
      }
      return rows;
    });
    try {
      await judge(u, q.assignment.id, { choice: 'left' }).expect(200);
      const [after] = await query<{ setting: string; pid: number }>(SETTING, []);
      seen.push({ what: 'after', ...after! });
    } finally {
      tx.mockRestore();
      judged.mockRestore();
    }
    const postgres = Boolean(process.env.DATABASE_URL);
    expect(seen.map(({ what, setting }) => [what, setting])).toEqual([
      ['judgment', 'on'],
      ['claim', postgres ? 'off' : 'on'],
      ['after', 'on'],
    ]);
    // The same connection throughout: SET LOCAL ended with the claim's transaction.
    if (postgres) expect(new Set(seen.map((x) => x.pid)).size).toBe(1);
  });
});
