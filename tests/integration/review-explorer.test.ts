// The comparisons explorer: every filter alone on a campaign whose answer for each is known, keyset pages in
// both sorts, the comparison page's judgments and flags, the vote summary following undo and exclusion,
// and bad input refused with a 4xx that changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, createUser, startTestApp, type TestApp, type TestUser } from '../helpers/app';
import { readComparisonPage, type ComparisonFilters } from '../../server/db/repositories/explorer';
import { addJudgments, seedCampaign, type SeededCampaign, type SeededComparison, type CampaignJudgment } from '../../testkit/factory';

type Item = { id: number; votes: Record<string, number>; majority: string | null; dispute: number; flagCount: number; lastActivityAt: string };

describe('comparisons explorer', () => {
  let t: TestApp;
  let admin: TestUser;
  let campaign: SeededCampaign;
  // c0 P0 m1-m2, c1 P0 m1-m3, c2 P0 m2-m3, c3 P1 m1-m2, c4 gold P2 m2-m3.
  let c: SeededComparison[];
  const T = Date.now() + 3_600_000;
  const at = (minutes: number) => new Date(T + minutes * 60_000);

  const list = async (query: Record<string, string>, expected = 200) =>
    (await client(t.app, admin).get(`/api/campaigns/${campaign.id}/comparisons?${new URLSearchParams(query)}`).expect(expected)).body;
  const ids = async (query: Record<string, string>) => ((await list(query)).items as Item[]).map((item) => item.id);
  const idsOf = (...indexes: number[]) => indexes.map((i) => c[i]!.id);

  beforeAll(async () => {
    t = await startTestApp();
    admin = await createUser(t.app, 'ADMIN');
    campaign = await seedCampaign(t.app, {
      raters: 4,
      prompts: [
        {
          context: [{ role: 'user', content: 'How do I sort a list in Python?' }],
          responses: [{ model: 'm1', content: 'Use sorted().' }, { model: 'm2', content: 'Call list.sort().' }, { model: 'm3', content: 'Write a bubble sort.' }],
        },
        {
          context: [{ role: 'system', content: 'You are a poet.' }, { role: 'user', content: 'Write a haiku about autumn, 100% original.' }],
          responses: [{ model: 'm1', content: 'Leaves fall.' }, { model: 'm2', content: 'Red maple.' }],
        },
        { context: [{ role: 'user', content: 'What is 2+2?' }], responses: [{ model: 'm2', content: '4' }, { model: 'm3', content: '5' }], gold: 'A' },
      ],
    });
    c = campaign.comparisons;
    const [r0, r1, r2, r3] = campaign.raters as [SeededCampaign['raters'][number], SeededCampaign['raters'][number], SeededCampaign['raters'][number], SeededCampaign['raters'][number]];
    const j = (ci: number, rater: typeof r0, choice: CampaignJudgment['choice'], minute: number, extra: Partial<CampaignJudgment> = {}): CampaignJudgment => ({
      comparison: c[ci]!,
      rater,
      choice,
      createdAt: at(minute),
      ...extra,
    });
    await addJudgments(t.app, campaign, [
      j(0, r0, 'A', 1, { rationale: 'Shorter and right.' }),
      j(0, r1, 'A', 2),
      j(0, r2, 'A', 3),
      j(1, r0, 'A', 8, { leftIsA: false }),
      j(1, r1, 'B', 10, { rationale: '', guidelineVersion: 2 }),
      j(2, r0, 'TIE', 4),
      j(2, r1, 'BOTH_BAD', 5, { strength: null }),
      j(2, r2, 'A', 5.5, { strength: 2 }),
      j(3, r0, 'B', 11),
      j(3, r1, 'B', 12, { undoneAt: at(13) }),
      j(3, r3, 'A', 20),
      j(4, r2, 'A', 2.5),
    ]);
    const { prisma } = t.app.ctx.db;
    const assignment = await prisma.assignment.findFirstOrThrow({ where: { comparisonId: c[1]!.id, raterId: r0.id } });
    await prisma.flag.create({
      data: { campaignId: campaign.id, assignmentId: assignment.id, comparisonId: c[1]!.id, raterId: r0.id, reason: 'BROKEN', target: 'B', note: 'Cut off mid-sentence', createdAt: at(30) },
    });
    // Counters as the rater loop leaves them: c2 holds one judgment more than k (after a re-inclusion).
    for (const [i, submitted] of [[0, 3], [1, 2], [2, 4], [3, 2]] as const) await prisma.comparison.update({ where: { id: c[i]!.id }, data: { submitted } });
    await prisma.comparison.update({ where: { id: c[0]!.id }, data: { referenceChoice: 'A', referenceSource: 'test' } });
    await prisma.comparison.update({ where: { id: c[2]!.id }, data: { referenceChoice: 'B', referenceSource: 'test' } });
    await prisma.comparison.update({ where: { id: c[3]!.id }, data: { referenceChoice: 'A', referenceSource: 'test' } });
  });
  afterAll(async () => t.close());

  it('keeps a vote summary from the standing judgments and sorts by latest activity (undo and flags count as activity)', async () => {
    const body = await list({});
    const items = body.items as Item[];
    expect(items.map((item) => item.id)).toEqual(idsOf(1, 3, 2, 0, 4));
    expect(body.nextCursor).toBeNull();
    const byId = new Map(items.map((item) => [item.id, item]));
    expect(byId.get(c[0]!.id)).toMatchObject({ votes: { A: 3, B: 0, TIE: 0, BOTH_BAD: 0 }, majority: 'A', dispute: 0 });
    expect(byId.get(c[1]!.id)).toMatchObject({ votes: { A: 1, B: 1 }, majority: null, dispute: 0.5, flagCount: 1, lastActivityAt: at(30).toISOString() });
    expect(byId.get(c[2]!.id)).toMatchObject({ votes: { A: 1, TIE: 1, BOTH_BAD: 1 }, majority: null, dispute: 0.666 });
    // The undone judgment is not a vote.
    expect(byId.get(c[3]!.id)).toMatchObject({ votes: { A: 1, B: 1, TIE: 0 }, lastActivityAt: at(20).toISOString() });
  });

  it('filters by model on either side and by model pair in either order', async () => {
    expect(await ids({ model: 'm3' })).toEqual(idsOf(1, 2, 4));
    expect(await ids({ model: 'm1' })).toEqual(idsOf(1, 3, 0));
    expect(await ids({ pair: 'm2~m1' })).toEqual(idsOf(3, 0));
    expect(await ids({ pair: 'm3~m2' })).toEqual(idsOf(2, 4));
    expect(await ids({ pair: 'm1~nobody' })).toEqual([]);
  });

  it('filters by prompt: the prompt view', async () => {
    const promptOf = new Map(((await list({})).items as (Item & { promptId: number })[]).map((item) => [item.id, String(item.promptId)]));
    expect(await ids({ promptId: promptOf.get(c[0]!.id)! })).toEqual(idsOf(1, 2, 0));
    expect(await ids({ promptId: promptOf.get(c[3]!.id)! })).toEqual(idsOf(3));
    expect(await ids({ promptId: promptOf.get(c[3]!.id)!, model: 'm3' })).toEqual([]);
    expect((await list({ promptId: 'first' }, 400)).error.message).toMatch(/promptId must be a prompt id/);
  });

  it('filters by status: removed and active (removed ones are listed, marked, unless a status says otherwise)', async () => {
    const { prisma } = t.app.ctx.db;
    await prisma.comparison.update({ where: { id: c[3]!.id }, data: { removed: true, removedAt: at(40) } });
    try {
      expect(await ids({ status: 'removed' })).toEqual(idsOf(3));
      expect(await ids({ status: 'active' })).toEqual(idsOf(1, 2, 0, 4));
      expect(((await list({})).items as (Item & { removed: boolean })[]).filter((item) => item.removed).map((item) => item.id)).toEqual(idsOf(3));
    } finally {
      await prisma.comparison.update({ where: { id: c[3]!.id }, data: { removed: false, removedAt: null } });
    }
  });

  it('filters by status: open, complete, over k, holding an excluded rater’s judgment', async () => {
    expect(await ids({ status: 'open' })).toEqual(idsOf(1, 3));
    expect(await ids({ status: 'complete' })).toEqual(idsOf(2, 0));
    expect(await ids({ status: 'over' })).toEqual(idsOf(2));
    expect(await ids({ status: 'excluded' })).toEqual([]);
  });

  it('filters by agreement: unanimous, split, tie-heavy', async () => {
    expect(await ids({ agreement: 'unanimous' })).toEqual(idsOf(0));
    expect(await ids({ agreement: 'split' })).toEqual(idsOf(1, 3, 2));
    expect(await ids({ agreement: 'tie-heavy' })).toEqual(idsOf(2));
  });

  it('filters by flags, rationale, rater, guideline version and gold', async () => {
    expect(await ids({ flagged: 'true' })).toEqual(idsOf(1));
    expect(await ids({ flagged: 'false' })).toEqual(idsOf(3, 2, 0, 4));
    // An empty rationale is none.
    expect(await ids({ rationale: 'true' })).toEqual(idsOf(0));
    expect(await ids({ rationale: 'false' })).toEqual(idsOf(1, 3, 2, 4));
    expect(await ids({ rater: campaign.raters[2]!.id })).toEqual(idsOf(2, 0, 4));
    // r1's judgment on c3 was undone: not theirs any more.
    expect(await ids({ rater: campaign.raters[1]!.id })).toEqual(idsOf(1, 2, 0));
    expect(await ids({ guidelineVersion: '2' })).toEqual(idsOf(1));
    expect(await ids({ guidelineVersion: '1' })).toEqual(idsOf(1, 3, 2, 0, 4));
    expect(await ids({ gold: 'true' })).toEqual(idsOf(4));
    expect(await ids({ gold: 'false' })).toEqual(idsOf(1, 3, 2, 0));
  });

  it('filters by reference label and whether the human majority agrees with it', async () => {
    expect(await ids({ reference: 'present' })).toEqual(idsOf(3, 2, 0));
    expect(await ids({ reference: 'absent' })).toEqual(idsOf(1, 4));
    expect(await ids({ reference: 'agrees' })).toEqual(idsOf(0));
    // c2 and c3 have no majority: neither agreeing nor disagreeing.
    expect(await ids({ reference: 'disagrees' })).toEqual([]);
  });

  it('searches the prompt text in any turn, case-insensitively, with % and _ taken literally', async () => {
    expect(await ids({ q: 'SORT a LIST' })).toEqual(idsOf(1, 2, 0));
    expect(await ids({ q: 'haiku' })).toEqual(idsOf(3));
    expect(await ids({ q: 'poet' })).toEqual(idsOf(3));
    expect(await ids({ q: '100%' })).toEqual(idsOf(3));
    expect(await ids({ q: '%' })).toEqual(idsOf(3));
    expect(await ids({ q: '_' })).toEqual([]);
    expect(await ids({ q: 'haiku', model: 'm3' })).toEqual([]);
  });

  it('gives the same pages whether rare texts and models drive the query (looked up first) or the comparisons are walked', async () => {
    const none: ComparisonFilters = { promptId: null, model: null, pair: null, status: null, agreement: null, flagged: null, rationale: null, rater: null, guidelineVersion: null, gold: null, reference: null, text: null };
    const read = async (filters: Partial<ComparisonFilters>, sort: 'activity' | 'disputed', lookupLimits?: { text: number; model: number; rationale: number; pair: number }) =>
      (await readComparisonPage(t.app.ctx.db, { campaignId: campaign.id, filters: { ...none, ...filters }, sort, after: null, limit: 50, lookupLimits })).map((row) => row.id);
    const cases: Partial<ComparisonFilters>[] = [
      { text: 'sort a list' },
      { text: 'HAIKU' },
      { text: 'nowhere to be found' },
      { model: 'm3' },
      { model: 'nobody' },
      { pair: ['m2', 'm1'] },
      { pair: ['m1', 'nobody'] },
      { model: 'm1', text: 'sort' },
      { rationale: true },
      { rationale: true, model: 'm2' },
      { rationale: true, text: 'nowhere to be found' },
    ];
    for (const sort of ['activity', 'disputed'] as const) {
      for (const filters of cases) {
        const walked = await read(filters, sort, { text: 0, model: 0, rationale: 0, pair: 0 });
        expect(await read(filters, sort)).toEqual(walked);
      }
    }
    expect(await read({ text: 'sort a list' }, 'activity', { text: 0, model: 0, rationale: 0, pair: 0 })).toEqual(idsOf(1, 2, 0));
    expect(await read({ model: 'm3' }, 'activity')).toEqual(idsOf(1, 2, 4));
    expect(await read({ rationale: true }, 'activity')).toEqual(idsOf(0));
    expect(await read({ rationale: true }, 'activity', { text: 0, model: 0, rationale: 0, pair: 0 })).toEqual(idsOf(0));
    expect(await read({ pair: ['m2', 'm1'] }, 'activity', { text: 0, model: 0, rationale: 0, pair: 0 })).toEqual(idsOf(3, 0));
  });

  it('sorts most disputed first, then newest id, and pages through both sorts by keyset without gaps or repeats', async () => {
    expect(await ids({ sort: 'disputed' })).toEqual(idsOf(2, 3, 1, 4, 0));
    for (const sort of ['activity', 'disputed']) {
      const whole = await ids({ sort });
      const walked: number[] = [];
      let cursor: string | null = null;
      do {
        const page: { items: Item[]; nextCursor: string | null } = await list({ sort, limit: '2', ...(cursor ? { cursor } : {}) });
        expect(page.items.length).toBeLessThanOrEqual(2);
        walked.push(...page.items.map((item) => item.id));
        cursor = page.nextCursor;
      } while (cursor);
      expect(walked).toEqual(whole);
    }
  });

  it('shows one comparison with its prompt, both responses, every judgment with the side shown, and its flags', async () => {
    const body = (await client(t.app, admin).get(`/api/comparisons/${c[1]!.id}`).expect(200)).body;
    expect(body.context).toEqual([{ role: 'user', content: 'How do I sort a list in Python?' }]);
    expect(body.a).toMatchObject({ model: 'm1', content: 'Use sorted().' });
    expect(body.b).toMatchObject({ model: 'm3', content: 'Write a bubble sort.' });
    expect(body.judgments).toHaveLength(2);
    expect(body.judgments[0]).toMatchObject({ rater: { id: campaign.raters[0]!.id, name: 'Rater 0' }, shownLeft: 'B', choice: 'A', undoneAt: null, excluded: false, guidelineVersion: 1 });
    expect(body.judgments[1]).toMatchObject({ choice: 'B', guidelineVersion: 2, rationale: '' });
    expect(body.flags).toEqual([
      expect.objectContaining({ reason: 'BROKEN', target: 'B', note: 'Cut off mid-sentence', rater: { id: campaign.raters[0]!.id, name: 'Rater 0' } }),
    ]);
    const c3 = (await client(t.app, admin).get(`/api/comparisons/${c[3]!.id}`).expect(200)).body;
    expect(c3.judgments.map((j: { undoneAt: string | null }) => j.undoneAt)).toEqual([null, at(13).toISOString(), null]);
    expect(c3.reference).toEqual({ choice: 'A', source: 'test' });
  });

  it('recounts the votes when a rater is excluded and again when included', async () => {
    const r3 = campaign.raters[3]!;
    await client(t.app, admin).post(`/api/campaigns/${campaign.id}/raters/${r3.id}/exclude`).send({}).expect(200);
    expect(await ids({ status: 'excluded' })).toEqual(idsOf(3));
    const excluded = (await client(t.app, admin).get(`/api/comparisons/${c[3]!.id}`).expect(200)).body;
    expect(excluded).toMatchObject({ votes: { A: 0, B: 1 }, majority: 'B' });
    expect(excluded.judgments.at(-1)).toMatchObject({ excluded: true });
    // Excluding is no activity: the activity order is unchanged.
    expect(await ids({})).toEqual(idsOf(1, 3, 2, 0, 4));
    expect(await ids({ reference: 'disagrees' })).toEqual(idsOf(3));
    await client(t.app, admin).post(`/api/campaigns/${campaign.id}/raters/${r3.id}/include`).send({}).expect(200);
    expect((await client(t.app, admin).get(`/api/comparisons/${c[3]!.id}`).expect(200)).body).toMatchObject({ votes: { A: 1, B: 1 }, majority: null });
    expect(await ids({ status: 'excluded' })).toEqual([]);
  });

  it('refuses bad filters, foreign cursors and unknown ids with a 4xx that says what to do', async () => {
    const bad = async (query: Record<string, string>, pattern: RegExp) => {
      const body = await list(query, 400);
      expect(body.error.code).toBe('VALIDATION_FAILED');
      expect(JSON.stringify(body.error)).toMatch(pattern);
    };
    await bad({ colour: 'red' }, /unknown filter: colour/);
    await bad({ pair: 'm1' }, /two model names joined by ~/);
    await bad({ status: 'done' }, /status must be one of/);
    await bad({ agreement: 'most' }, /agreement must be one of/);
    await bad({ flagged: 'maybe' }, /flagged must be true or false/);
    await bad({ rater: 'bob' }, /rater must be a user id/);
    await bad({ limit: '0' }, /limit is 1 to 200/);
    await bad({ q: '   ' }, /q must not be empty/);
    await bad({ cursor: 'not-a-cursor' }, /start again without cursor/);
    const { nextCursor } = await list({ sort: 'disputed', limit: '1' });
    await bad({ sort: 'activity', cursor: nextCursor }, /start again without cursor/);
    await client(t.app, admin).get('/api/campaigns/00000000-0000-4000-8000-000000000000/comparisons').expect(404);
    await client(t.app, admin).get('/api/comparisons/2147483647').expect(404);
    await client(t.app, admin).get('/api/comparisons/abc').expect(400);
  });
});
