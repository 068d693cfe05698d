// Adjudication: a disputed comparison gets an admin's answer. Its judgments stay regular; it becomes a gold item
// for raters who never had it (their gold accuracy counts it, their judgment counts nowhere else); exports can
// prefer the answer to the majority (recorded in the URL and card); an export as of before is unchanged.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, createUser, startTestApp, type TestApp, type TestUser } from '../helpers/app';
import { addJudgments, seedCampaign, type SeededCampaign, type SeededComparison } from '../../testkit/factory';
import { download, exportPath } from '../helpers/export-download';

describe('adjudication into gold', () => {
  let t: TestApp;
  let admin: TestUser;
  let campaign: SeededCampaign;
  let c: SeededComparison[];
  let raters: TestUser[];
  let beforeAdjudication: string;

  const as = () => client(t.app, admin);
  const trl = async (query: Record<string, string>) =>
    ((await download(t.app, admin, exportPath(campaign.id, { format: 'trl', minJudgments: '1', asOf: new Date().toISOString(), ...query }))).lines as { chosen: string }[]).map((line) => ({ chosen: line.chosen.trim() }));
  const stats = async () => (await as().get(`/api/campaigns/${campaign.id}/stats?rounds=0`).expect(200)).body;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await createUser(t.app, 'ADMIN');
    campaign = await seedCampaign(t.app, {
      votesPerComparison: 2,
      raters: 0,
      prompts: [
        { context: [{ role: 'user', content: 'Capital of Australia?' }], responses: [{ model: 'm1', content: 'Sydney' }, { model: 'm2', content: 'Canberra' }] },
        { context: [{ role: 'user', content: 'Capital of Canada?' }], responses: [{ model: 'm1', content: 'Ottawa' }, { model: 'm2', content: 'Toronto' }] },
      ],
    });
    c = campaign.comparisons;
    raters = [];
    for (let i = 0; i < 5; i++) raters.push(await createUser(t.app, 'RATER', [campaign.id]));
    const [r0, r1] = raters.map((r) => ({ id: r.id, email: r.email }));
    const past = new Date(Date.now() - 60_000);
    await addJudgments(t.app, campaign, [
      { comparison: c[0]!, rater: r0!, choice: 'A', createdAt: past },
      { comparison: c[0]!, rater: r1!, choice: 'B', createdAt: past },
      { comparison: c[1]!, rater: r0!, choice: 'A', createdAt: past },
      { comparison: c[1]!, rater: r1!, choice: 'A', createdAt: past },
    ]);
    const { prisma } = t.app.ctx.db;
    await prisma.comparison.updateMany({ where: { id: { in: [c[0]!.id, c[1]!.id] } }, data: { submitted: 2 } });
    // Every claim tries gold first, so an adjudicated pair is served as soon as it is one.
    await prisma.campaign.update({ where: { id: campaign.id }, data: { goldRate: 1 } });
    beforeAdjudication = new Date(Date.now() - 1000).toISOString();
  });
  afterAll(async () => t.close());

  it('adjudicates only a disputed comparison with its judgments in, recorded and shown', async () => {
    const refused = (await as().post(`/api/comparisons/${c[1]!.id}/adjudicate`).send({ choice: 'A' }).expect(409)).body;
    expect(refused.error).toMatchObject({ code: 'NOT_ADJUDICABLE', details: { reason: 'unanimous' }, message: expect.stringMatching(/unanimous/) });
    await as().post(`/api/comparisons/${c[0]!.id}/adjudicate`).send({ choice: 'MAYBE' }).expect(400);
    const done = (await as().post(`/api/comparisons/${c[0]!.id}/adjudicate`).send({ choice: 'B', note: 'Canberra is the capital.' }).expect(200)).body;
    expect(done).toEqual({ comparisonId: c[0]!.id, adjudicated: 'B', changed: true });
    expect((await as().get(`/api/comparisons/${c[0]!.id}`).expect(200)).body).toMatchObject({ adjudicated: 'B', isGold: false, votes: { A: 1, B: 1 } });
    const rows = await t.app.ctx.db.prisma.adjudication.findMany({ where: { comparisonId: c[0]!.id } });
    expect(rows).toMatchObject([{ choice: 'B', note: 'Canberra is the capital.', actorId: admin.id, withdrawnAt: null }]);
  });

  it('exports keep the majority unless asked to prefer the adjudicated answer; the URL and card say so; as of before, unchanged', async () => {
    expect((await trl({})).map((line) => line.chosen)).toEqual(['Ottawa']);
    expect((await trl({ adjudication: 'prefer' })).map((line) => line.chosen).sort()).toEqual(['Canberra', 'Ottawa']);
    expect((await trl({ adjudication: 'prefer', asOf: beforeAdjudication })).map((line) => line.chosen)).toEqual(['Ottawa']);
    const card = await download(t.app, admin, exportPath(campaign.id, { format: 'trl', adjudication: 'prefer' }, '/card'));
    expect(card.text).toContain('adjudication=prefer');
    await as().get(`/api/campaigns/${campaign.id}/export?format=raw&adjudication=prefer`).expect(400);
  });

  it('serves the pair as gold only to raters who never had it; their gold accuracy counts it and nothing else does', async () => {
    const before = await stats();
    // r0 judged both pairs: nothing for them.
    await client(t.app, raters[0]!).get(`/api/campaigns/${campaign.id}/assignments/next?prefetch=0`).expect(204);
    const newcomer = raters[2]!;
    const queue = (await client(t.app, newcomer).get(`/api/campaigns/${campaign.id}/assignments/next?prefetch=0`).expect(200)).body;
    const lease = await t.app.ctx.db.prisma.assignment.findUniqueOrThrow({ where: { id: queue.assignment.id } });
    expect(lease.comparisonId).toBe(c[0]!.id);
    const canberra = lease.leftIsA ? 'right' : 'left';
    await client(t.app, newcomer).post(`/api/assignments/${lease.id}/judgment`).send({ choice: canberra, timeMs: 8000, idempotencyKey: 'adjudicated-gold-1' }).expect(200);
    const judgment = await t.app.ctx.db.prisma.judgment.findFirstOrThrow({ where: { assignmentId: lease.id } });
    expect(judgment).toMatchObject({ isGold: true, choice: 'B' });

    const after = await stats();
    const row = after.raters.find((r: { id: string }) => r.id === newcomer.id);
    expect(row).toMatchObject({ goldJudgments: 1, goldAccuracy: 1, judgments: 1 });
    // The earlier judgments stay regular and nothing else moves.
    expect(after.progress.judgments).toBe(before.progress.judgments);
    expect(after.leaderboard).toEqual(before.leaderboard);
    expect((await trl({})).map((line) => line.chosen)).toEqual(['Ottawa']);
  });

  it('withdraws the answer: the pair is no longer served as gold', async () => {
    const withdrawn = (await as().post(`/api/comparisons/${c[0]!.id}/withdraw-adjudication`).send({ reason: 'second thoughts' }).expect(200)).body;
    expect(withdrawn).toEqual({ comparisonId: c[0]!.id, adjudicated: null, changed: true });
    await client(t.app, raters[3]!).get(`/api/campaigns/${campaign.id}/assignments/next?prefetch=0`).expect(204);
    expect((await trl({ adjudication: 'prefer' })).map((line) => line.chosen)).toEqual(['Ottawa']);
  });
});
