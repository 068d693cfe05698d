// The rater loop against the campaign's status (paused: open leases only; draft and archived: nothing),
// the `stop` reason when nothing more is leased, and a claim that waited for the rater's lock seeing the
// leases of the claim it waited for.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TAssignmentQueue } from '../../server/contract/rater';
import { RATING_SQL } from '../../server/db/sql/rating';
import { client, createUser, startTestApp, type TestApp, type TestUser } from '../helpers/app';
import { seedComparisons } from '../../testkit/factory';

const clock = { at: Date.now(), now: () => new Date(clock.at) };

describe('rater loop and campaign status', () => {
  let t: TestApp;
  beforeAll(async () => {
    // No in-flight cap here: the claim-order case fires 50 calls of one rater at once on purpose.
    t = await startTestApp({ env: { RATER_MAX_IN_FLIGHT: '100' }, overrides: { clock } });
  });
  afterAll(async () => t.close());

  const prisma = () => t.app.ctx.db.prisma;
  const next = (u: TestUser, campaignId: string, query = '') => client(t.app, u).get(`/api/campaigns/${campaignId}/assignments/next${query}`);
  const judge = (u: TestUser, id: string, key = randomUUID()) =>
    client(t.app, u).post(`/api/assignments/${id}/judgment`).send({ choice: 'left', timeMs: 900, idempotencyKey: key });
  const act = (u: TestUser, id: string, action: 'skip' | 'flag' | 'undo') =>
    client(t.app, u).post(`/api/assignments/${id}/${action}`).send(action === 'flag' ? { reason: 'broken', target: 'left' } : {});
  const setStatus = (campaignId: string, status: 'DRAFT' | 'ACTIVE' | 'PAUSED' | 'ARCHIVED') => prisma().campaign.update({ where: { id: campaignId }, data: { status } });
  const counters = async (campaignId: string) =>
    JSON.stringify([
      await prisma().assignment.findMany({ where: { campaignId }, orderBy: { id: 'asc' } }),
      await prisma().comparison.findMany({ where: { campaignId }, orderBy: { id: 'asc' } }),
      await prisma().judgment.findMany({ where: { campaignId }, orderBy: { id: 'asc' } }),
      await prisma().flag.count({ where: { campaignId } }),
    ]);

  it('paused: no new claims, but open leases are shown, judged, skipped, flagged and undone until they expire', async () => {
    const s = await seedComparisons(prisma(), { prompts: 3, leaseSeconds: 600 });
    const u = await createUser(t.app, 'RATER', [s.campaignId]);
    const late = await createUser(t.app, 'RATER', [s.campaignId]);
    const q = (await next(u, s.campaignId).expect(200)).body as TAssignmentQueue;
    await setStatus(s.campaignId, 'PAUSED');

    const again = (await next(u, s.campaignId).expect(200)).body as TAssignmentQueue;
    expect([again.assignment.id, again.next?.id]).toEqual([q.assignment.id, q.next?.id]);
    expect((await next(late, s.campaignId).expect(409)).body.error.code).toBe('CAMPAIGN_NOT_ACTIVE');

    const judged = await judge(u, q.assignment.id).expect(200);
    expect(judged.body.next).toMatchObject({ assignment: { id: q.next!.id }, next: null, stop: 'CAMPAIGN_NOT_ACTIVE' });
    const undone = await act(u, q.assignment.id, 'undo').expect(200);
    expect(undone.body.assignment.id).toBe(q.assignment.id);
    const skipped = await act(u, q.assignment.id, 'skip').expect(200);
    expect(skipped.body.next).toMatchObject({ assignment: { id: q.next!.id }, next: null, stop: 'CAMPAIGN_NOT_ACTIVE' });
    const flagged = await act(u, q.next!.id, 'flag').expect(200);
    expect(flagged.body).toEqual({ next: null, stop: 'CAMPAIGN_NOT_ACTIVE' });
    expect(await prisma().assignment.count({ where: { campaignId: s.campaignId } })).toBe(2);

    // Reactivated, a new lease; paused again, it may be worked on only until it expires.
    await setStatus(s.campaignId, 'ACTIVE');
    const fresh = (await next(u, s.campaignId, '?prefetch=0').expect(200)).body as TAssignmentQueue;
    await setStatus(s.campaignId, 'PAUSED');
    clock.at += 601_000;
    const before = await counters(s.campaignId);
    expect((await judge(u, fresh.assignment.id).expect(409)).body.error.code).toBe('CAMPAIGN_NOT_ACTIVE');
    expect((await act(u, fresh.assignment.id, 'skip').expect(409)).body.error.code).toBe('CAMPAIGN_NOT_ACTIVE');
    expect(await counters(s.campaignId)).toBe(before);
  });

  it('draft and archived: every rater action answers 409 CAMPAIGN_NOT_ACTIVE and changes nothing; a retry of a stored judgment still gets its answer', async () => {
    for (const status of ['DRAFT', 'ARCHIVED'] as const) {
      const s = await seedComparisons(prisma(), { prompts: 3 });
      const u = await createUser(t.app, 'RATER', [s.campaignId]);
      const q = (await next(u, s.campaignId).expect(200)).body as TAssignmentQueue;
      const key = randomUUID();
      const first = await judge(u, q.assignment.id, key).expect(200);
      await setStatus(s.campaignId, status);
      const before = await counters(s.campaignId);
      const refusals = [
        await next(u, s.campaignId),
        await judge(u, q.next!.id),
        await act(u, q.next!.id, 'skip'),
        await act(u, q.next!.id, 'flag'),
        await act(u, q.assignment.id, 'undo'),
      ];
      expect(refusals.map((r) => [r.status, r.body.error?.code])).toEqual(Array(5).fill([409, 'CAMPAIGN_NOT_ACTIVE']));
      expect(await counters(s.campaignId)).toBe(before);
      const retry = await judge(u, q.assignment.id, key).expect(200);
      expect(retry.body).toMatchObject({ judgment: first.body.judgment, next: null, stop: 'CAMPAIGN_NOT_ACTIVE' });
      expect(await counters(s.campaignId)).toBe(before);
    }
  });

  it('says why nothing more is leased: CAP_REACHED, ALL_LEASED (with the wait), DONE; on a 204 in headers', async () => {
    const capped = await seedComparisons(prisma(), { prompts: 3, maxJudgmentsPerRater: 1 });
    const c = await createUser(t.app, 'RATER', [capped.campaignId]);
    const cq = (await next(c, capped.campaignId).expect(200)).body as TAssignmentQueue;
    expect(cq).toMatchObject({ next: null, stop: 'CAP_REACHED' });
    expect((await judge(c, cq.assignment.id).expect(200)).body).toMatchObject({ next: null, stop: 'CAP_REACHED' });
    expect((await next(c, capped.campaignId).expect(204)).headers['juxta-stop']).toBe('CAP_REACHED');

    // Three comparisons wanting one judgment each: a holds two, b gets the third and nothing to prefetch.
    const s = await seedComparisons(prisma(), { prompts: 1, models: 3, votes: 1, leaseSeconds: 600 });
    const [a, b, d] = [await createUser(t.app, 'RATER', [s.campaignId]), await createUser(t.app, 'RATER', [s.campaignId]), await createUser(t.app, 'RATER', [s.campaignId])];
    const aq = (await next(a, s.campaignId).expect(200)).body as TAssignmentQueue;
    expect(aq.stop).toBeUndefined();
    clock.at += 60_000;
    const bq = (await next(b, s.campaignId).expect(200)).body as TAssignmentQueue;
    expect(bq).toMatchObject({ next: null, stop: 'ALL_LEASED', retryAfterSeconds: 540 });
    const waiting = await next(d, s.campaignId).expect(204);
    expect([waiting.headers['juxta-stop'], waiting.headers['retry-after']]).toEqual(['ALL_LEASED', '540']);
    // Judged by all: done for everyone.
    await judge(a, aq.assignment.id).expect(200);
    await judge(a, aq.next!.id).expect(200);
    expect((await judge(b, bq.assignment.id).expect(200)).body).toMatchObject({ next: null, stop: 'DONE' });
    const done = await next(d, s.campaignId).expect(204);
    expect([done.headers['juxta-stop'], done.headers['retry-after']]).toEqual(['DONE', undefined]);
  });

  it('fifty concurrent next calls by one rater all answer the same pair', async () => {
    const s = await seedComparisons(prisma(), { prompts: 10 });
    const u = await createUser(t.app, 'RATER', [s.campaignId]);
    const replies = await Promise.all(Array.from({ length: 50 }, () => next(u, s.campaignId)));
    expect(new Set(replies.map((r) => r.status))).toEqual(new Set([200]));
    expect(new Set(replies.map((r) => `${r.body.assignment.id} ${r.body.next?.id}`)).size).toBe(1);
    expect(await prisma().assignment.count({ where: { raterId: u.id } })).toBe(2);
  });

  // Only Postgres runs claims side by side (PGlite runs one transaction at a time): a claim that waits for
  // the rater's lock while another claim of theirs commits two leases must answer with those leases.
  it.skipIf(!process.env.DATABASE_URL)('a claim that waited for the rater lock sees the leases committed meanwhile (Postgres)', async () => {
    const s = await seedComparisons(prisma(), { prompts: 4 });
    const u = await createUser(t.app, 'RATER', [s.campaignId]);
    const holder = await t.app.ctx.db.pool!.connect();
    try {
      await holder.query('BEGIN');
      await holder.query(`SELECT 1 FROM "CampaignMember" WHERE "campaignId" = $1 AND "userId" = $2 FOR UPDATE`, [s.campaignId, u.id]);
      const waiting = next(u, s.campaignId).then((r) => r);
      // Wait until the request's claim is blocked on the rater's row.
      for (;;) {
        const { rows } = await holder.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`);
        if (rows[0].n > 0) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      const now = clock.now();
      for (const offset of [0, 1]) {
        const { rows } = await holder.query(RATING_SQL.claim, [s.campaignId, u.id, new Date(now.getTime() + offset), randomUUID(), true, false, null, 600, 'uniform']);
        expect(rows).toHaveLength(1);
      }
      await holder.query('COMMIT');
      const res = await waiting;
      expect(res.status).toBe(200);
      const held = await prisma().assignment.findMany({ where: { raterId: u.id }, orderBy: { issuedAt: 'asc' } });
      expect(held).toHaveLength(2);
      expect([res.body.assignment.id, res.body.next?.id]).toEqual(held.map((a) => a.id));
    } finally {
      holder.release();
    }
  });
});
