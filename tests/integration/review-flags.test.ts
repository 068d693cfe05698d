// The flag review queue and its actions: dismiss keeps the comparison; remove takes it out of serving, stats and
// exports from now on (an export as of before is byte for byte unchanged), keeps it listed as removed, frees no
// lease and moves no counter; a broken response removes all its comparisons; everything is reversible.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, createUser, startTestApp, type TestApp, type TestUser } from '../helpers/app';
import { addJudgments, seedCampaign, type SeededCampaign, type SeededComparison } from '../../testkit/factory';
import { download, exportPath } from '../helpers/export-download';

describe('flag review', () => {
  let t: TestApp;
  let admin: TestUser;
  let campaign: SeededCampaign;
  // c0 P0 m1-m2, c1 P0 m1-m3, c2 P0 m2-m3, c3 P1 m1-m2 (k = 2).
  let c: SeededComparison[];
  let raters: TestUser[];
  let flagIds: number[];
  let beforeActions: string;

  const as = () => client(t.app, admin);
  const prisma = () => t.app.ctx.db.prisma;
  const counters = async () =>
    (await prisma().comparison.findMany({ where: { id: { in: c.map((x) => x.id) } }, orderBy: { id: 'asc' }, select: { id: true, submitted: true, leased: true } })).map(
      ({ submitted, leased }) => [submitted, leased],
    );
  /** The comparisons in an export made as of this moment (the default asOf trails the clock by a second). */
  const exportedComparisons = async (query: Record<string, string>) => {
    const res = await download(t.app, admin, exportPath(campaign.id, { asOf: new Date().toISOString(), ...query }));
    expect(res.status).toBe(200);
    return [...new Set(res.lines.map((line) => Number((line as { comparison_id: string }).comparison_id)))];
  };
  const comparisonsInStats = async () => (await as().get(`/api/campaigns/${campaign.id}/stats?rounds=0`).expect(200)).body.progress.comparisons as number;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await createUser(t.app, 'ADMIN');
    campaign = await seedCampaign(t.app, {
      votesPerComparison: 2,
      raters: 0,
      prompts: [
        {
          context: [{ role: 'user', content: 'Name three primes.' }],
          responses: [{ model: 'm1', content: '2, 3, 5' }, { model: 'm2', content: '2, 3, 4' }, { model: 'm3', content: '' }],
        },
        { context: [{ role: 'user', content: 'Say hello in French.' }], responses: [{ model: 'm1', content: 'Bonjour' }, { model: 'm2', content: 'Hola' }] },
      ],
    });
    c = campaign.comparisons;
    raters = [];
    for (let i = 0; i < 3; i++) raters.push(await createUser(t.app, 'RATER', [campaign.id]));
    const [r0, r1] = [{ id: raters[0]!.id, email: raters[0]!.email }, { id: raters[1]!.id, email: raters[1]!.email }];
    const past = (minutes: number) => new Date(Date.now() - minutes * 60_000);
    await addJudgments(t.app, campaign, [
      { comparison: c[0]!, rater: r0, choice: 'A', createdAt: past(50) },
      { comparison: c[0]!, rater: r1, choice: 'A', createdAt: past(49) },
      { comparison: c[1]!, rater: r0, choice: 'B', createdAt: past(48) },
      { comparison: c[1]!, rater: r1, choice: 'B', createdAt: past(47) },
      { comparison: c[2]!, rater: r0, choice: 'A', createdAt: past(46) },
    ]);
    for (const [i, submitted] of [[0, 2], [1, 2], [2, 1]] as const) await prisma().comparison.update({ where: { id: c[i]!.id }, data: { submitted } });
    flagIds = [];
    for (const [i, rater, reason, target, minutes] of [
      [1, r0, 'BROKEN', 'B', 40],
      [2, r0, 'OTHER', 'BOTH', 30],
      [0, r1, 'HARMFUL', 'A', 20],
    ] as const) {
      const assignment = await prisma().assignment.findFirstOrThrow({ where: { comparisonId: c[i]!.id, raterId: rater.id } });
      const flag = await prisma().flag.create({
        data: { campaignId: campaign.id, assignmentId: assignment.id, comparisonId: c[i]!.id, raterId: rater.id, reason, target, note: `note ${i}`, createdAt: past(minutes) },
      });
      flagIds.push(flag.id);
    }
    beforeActions = new Date(Date.now() - 1000).toISOString();
  });
  afterAll(async () => t.close());

  it('lists every flag newest first with reason, side, note and the comparison it is on, filtered by reason and state, in pages', async () => {
    const all = (await as().get(`/api/campaigns/${campaign.id}/flags`).expect(200)).body;
    expect(all.items.map((f: { id: number }) => f.id)).toEqual([flagIds[2], flagIds[1], flagIds[0]]);
    expect(all.items[2]).toMatchObject({
      comparisonId: c[1]!.id,
      reason: 'BROKEN',
      target: 'B',
      note: 'note 1',
      prompt: 'Name three primes.',
      dismissedAt: null,
      comparison: { removed: false, a: { model: 'm1', broken: false }, b: { model: 'm3', broken: false } },
    });
    const broken = (await as().get(`/api/campaigns/${campaign.id}/flags?reason=BROKEN`).expect(200)).body;
    expect(broken.items.map((f: { id: number }) => f.id)).toEqual([flagIds[0]]);
    const first = (await as().get(`/api/campaigns/${campaign.id}/flags?limit=2`).expect(200)).body;
    const second = (await as().get(`/api/campaigns/${campaign.id}/flags?limit=2&cursor=${first.nextCursor}`).expect(200)).body;
    expect([...first.items, ...second.items].map((f: { id: number }) => f.id)).toEqual([flagIds[2], flagIds[1], flagIds[0]]);
    expect(second.nextCursor).toBeNull();
    const bad = (await as().get(`/api/campaigns/${campaign.id}/flags?reason=SPAM`).expect(400)).body;
    expect(JSON.stringify(bad)).toMatch(/reason must be one of HARMFUL, BROKEN, WRONG_LANGUAGE, OTHER/);
  });

  it('dismisses a flag (the comparison stays) and reopens it; repeating a state changes nothing', async () => {
    const dismissed = (await as().post(`/api/flags/${flagIds[1]}/dismiss`).send({ reason: 'Empty answers are allowed here' }).expect(200)).body;
    expect(dismissed).toEqual({ flagId: flagIds[1], dismissed: true, changed: true });
    expect((await as().post(`/api/flags/${flagIds[1]}/dismiss`).send({}).expect(200)).body.changed).toBe(false);
    const open = (await as().get(`/api/campaigns/${campaign.id}/flags?state=open`).expect(200)).body;
    expect(open.items.map((f: { id: number }) => f.id)).toEqual([flagIds[2], flagIds[0]]);
    const listed = (await as().get(`/api/campaigns/${campaign.id}/flags?state=dismissed`).expect(200)).body;
    expect(listed.items).toEqual([expect.objectContaining({ id: flagIds[1], comparison: expect.objectContaining({ removed: false }) })]);
    expect(listed.items[0].dismissedAt).not.toBeNull();
    expect((await as().post(`/api/flags/${flagIds[1]}/reopen`).send({}).expect(200)).body).toEqual({ flagId: flagIds[1], dismissed: false, changed: true });
    const audit = await prisma().auditEvent.findMany({ where: { targetType: 'flag', targetId: String(flagIds[1]) }, orderBy: { id: 'asc' } });
    expect(audit.map((row) => row.action)).toEqual(['flag.dismiss', 'flag.reopen']);
    expect(audit[0]!.after).toMatchObject({ reason: 'Empty answers are allowed here' });
  });

  it('removes a comparison: not served, out of stats and exports from now on, listed as removed, leases and counters untouched; restores it', async () => {
    const rawBefore = await download(t.app, admin, exportPath(campaign.id, { format: 'raw', asOf: beforeActions }));
    const trlBefore = await download(t.app, admin, exportPath(campaign.id, { format: 'trl', asOf: beforeActions, minJudgments: '1' }));
    expect(await exportedComparisons({ format: 'raw' })).toEqual([c[0]!.id, c[1]!.id, c[2]!.id]);
    expect(await comparisonsInStats()).toBe(4);

    // Rater 2 leases c2 (the first with room), then the admin removes c2 and c3 while the lease is open.
    const rater = raters[2]!;
    const queue = (await client(t.app, rater).get(`/api/campaigns/${campaign.id}/assignments/next?prefetch=0`).expect(200)).body;
    const lease = await prisma().assignment.findUniqueOrThrow({ where: { id: queue.assignment.id } });
    expect(lease.comparisonId).toBe(c[2]!.id);
    const countersBefore = await counters();
    const removed = (await as().post(`/api/comparisons/${c[2]!.id}/remove`).send({ reason: 'empty response' }).expect(200)).body;
    expect(removed).toEqual({ comparisonId: c[2]!.id, removedDirectly: true, removed: true, changed: true });
    await as().post(`/api/comparisons/${c[3]!.id}/remove`).send({}).expect(200);
    expect(await counters()).toEqual(countersBefore);

    // The lease holder can still judge it: the judgment counts on the counters like any other; nothing else is served.
    const judged = (await client(t.app, rater).post(`/api/assignments/${queue.assignment.id}/judgment`).send({ choice: 'left', timeMs: 5000, idempotencyKey: 'removed-lease-1' }).expect(200)).body;
    expect(judged.next).toBeNull();
    expect((await counters())[2]).toEqual([2, 0]);
    await client(t.app, raters[1]!).get(`/api/campaigns/${campaign.id}/assignments/next?prefetch=0`).expect(204);

    // Still visible, marked removed; out of stats and of exports made now; an export as of before is the same bytes.
    const listed = (await as().get(`/api/campaigns/${campaign.id}/comparisons?status=removed`).expect(200)).body;
    expect(listed.items.map((item: { id: number; removed: boolean }) => [item.id, item.removed])).toEqual([[c[2]!.id, true], [c[3]!.id, true]]);
    expect((await as().get(`/api/comparisons/${c[2]!.id}`).expect(200)).body).toMatchObject({ removed: true, judgments: [{}, {}] });
    expect(await comparisonsInStats()).toBe(2);
    expect(await exportedComparisons({ format: 'raw' })).toEqual([c[0]!.id, c[1]!.id]);
    expect((await download(t.app, admin, exportPath(campaign.id, { format: 'raw', asOf: beforeActions }))).text).toBe(rawBefore.text);
    expect((await download(t.app, admin, exportPath(campaign.id, { format: 'trl', asOf: beforeActions, minJudgments: '1' }))).text).toBe(trlBefore.text);

    // Restored: served again and back in stats and exports.
    expect((await as().post(`/api/comparisons/${c[3]!.id}/restore`).send({}).expect(200)).body).toMatchObject({ removed: false, changed: true });
    const served = (await client(t.app, raters[1]!).get(`/api/campaigns/${campaign.id}/assignments/next?prefetch=0`).expect(200)).body;
    expect((await prisma().assignment.findUniqueOrThrow({ where: { id: served.assignment.id } })).comparisonId).toBe(c[3]!.id);
    await as().post(`/api/comparisons/${c[2]!.id}/restore`).send({}).expect(200);
    expect(await comparisonsInStats()).toBe(4);
    expect(await exportedComparisons({ format: 'raw' })).toEqual([c[0]!.id, c[1]!.id, c[2]!.id]);
    const events = await prisma().removalEvent.findMany({ where: { campaignId: campaign.id }, orderBy: { id: 'asc' } });
    expect(events.map((e) => [e.comparisonId, e.removed])).toEqual([[c[2]!.id, true], [c[3]!.id, true], [c[3]!.id, false], [c[2]!.id, false]]);
  });

  it('marks a response broken: all its comparisons leave (and return when unmarked, unless removed on their own)', async () => {
    const m1 = (await as().get(`/api/comparisons/${c[0]!.id}`).expect(200)).body.a;
    expect(m1.model).toBe('m1');
    await as().post(`/api/comparisons/${c[1]!.id}/remove`).send({}).expect(200);
    const marked = (await as().post(`/api/responses/${m1.id}/mark-broken`).send({ reason: 'wrong answer key' }).expect(200)).body;
    // c0 and c1 hold it; c1 was already out.
    expect(marked).toEqual({ responseId: m1.id, broken: true, changed: true, comparisonsAffected: 1 });
    expect((await as().get(`/api/comparisons/${c[0]!.id}`).expect(200)).body).toMatchObject({ removed: true, removedAt: null, a: { broken: true } });
    expect(await exportedComparisons({ format: 'raw' })).toEqual([c[2]!.id]);
    const flags = (await as().get(`/api/campaigns/${campaign.id}/flags?state=actioned`).expect(200)).body;
    expect(flags.items.map((f: { id: number }) => f.id)).toEqual([flagIds[2], flagIds[0]]);
    expect((await as().post(`/api/responses/${m1.id}/mark-broken`).send({}).expect(200)).body.changed).toBe(false);

    const unmarked = (await as().post(`/api/responses/${m1.id}/unmark-broken`).send({}).expect(200)).body;
    expect(unmarked).toMatchObject({ broken: false, comparisonsAffected: 1 });
    expect((await as().get(`/api/comparisons/${c[1]!.id}`).expect(200)).body.removed).toBe(true);
    expect((await as().get(`/api/comparisons/${c[0]!.id}`).expect(200)).body.removed).toBe(false);
    await as().post(`/api/comparisons/${c[1]!.id}/restore`).send({}).expect(200);
    expect((await download(t.app, admin, exportPath(campaign.id, { format: 'raw', asOf: beforeActions }))).lines).toHaveLength(5);
  });

  it('refuses unknown ids and bad bodies with a 4xx, changing nothing', async () => {
    const before = await prisma().removalEvent.count();
    await as().post('/api/flags/2147483647/dismiss').send({}).expect(404);
    await as().post('/api/comparisons/2147483647/remove').send({}).expect(404);
    await as().post('/api/responses/2147483647/mark-broken').send({}).expect(404);
    await as().post(`/api/comparisons/${c[0]!.id}/remove`).send({ reason: 'x'.repeat(501) }).expect(400);
    await as().post(`/api/comparisons/${c[0]!.id}/remove`).send({ why: 'no' }).expect(400);
    await as().post('/api/comparisons/zero/remove').send({}).expect(400);
    expect(await prisma().removalEvent.count()).toBe(before);
  });
});
