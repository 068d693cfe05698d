// GET /api/campaigns/:id/stats on seeded campaigns whose answers are known: the Wikipedia Bradley-Terry
// example, an agreement case worked by hand, rater review marks, the k earliest judgments and the surplus.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, createUser, startTestApp, type TestApp, type TestUser } from '../helpers/app';
import { everyoneJudges, seedStats, SEED_START, type Choice, type StatsJudgment } from '../../testkit/factory';

const wikipedia = JSON.parse(readFileSync(new URL('../fixtures/bradley-terry/wikipedia_bt_example.json', import.meta.url), 'utf8')) as {
  games: Record<string, number>;
  elo_scale_equivalent_mean1000: Record<string, number>;
};

describe('GET /api/campaigns/:id/stats', () => {
  let t: TestApp;
  let admin: TestUser;
  const stats = async (campaignId: string, query = '') =>
    (await client(t.app, admin).get(`/api/campaigns/${campaignId}/stats?rounds=200${query}`).expect(200)).body;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await createUser(t.app, 'ADMIN');
  });
  afterAll(async () => t.close());

  it('reproduces the Wikipedia Bradley-Terry example from counts aggregated in SQL', async () => {
    // One comparison per game, judged once (k = 1) by one rater.
    const games = Object.entries(wikipedia.games).flatMap(([game, n]) => {
      const [winner, loser] = game.split('>') as [string, string];
      return Array.from({ length: n }, () => ({ modelA: winner, modelB: loser }));
    });
    const { campaignId } = await seedStats(t.app, {
      k: 1,
      comparisons: games,
      raters: 1,
      judgments: games.map((_, i) => ({ comparison: i, rater: 0, choice: 'A' as const })),
    });
    const body = await stats(campaignId);
    const expected = wikipedia.elo_scale_equivalent_mean1000;
    expect(body.leaderboard.map((r: { model: string }) => r.model)).toEqual(['D', 'B', 'C', 'A']);
    for (const row of body.leaderboard) {
      expect(row.estimable).toBe(true);
      expect(row.rating).toBeCloseTo(expected[row.model]!, 2);
      expect(row.ci[0]).toBeLessThan(row.rating);
      expect(row.ci[1]).toBeGreaterThan(row.rating);
    }
    const a = body.leaderboard.find((r: { model: string }) => r.model === 'A');
    expect(a).toMatchObject({ judgments: 10, wins: 3, losses: 7, ties: 0 });
    const { models, matrix, counts } = body.winRates;
    const [iA, iD] = [models.indexOf('A'), models.indexOf('D')];
    expect(counts[iA][iD]).toBe(5);
    expect(matrix[iA][iD]).toBeCloseTo(1 / 5, 10);
    expect(matrix[iD][iA]).toBeCloseTo(4 / 5, 10);
    expect(matrix[iA][models.indexOf('C')]).toBeNull();
    expect(body.progress).toMatchObject({ comparisons: games.length, complete: games.length, judgments: games.length, target: games.length });
  });

  it('computes alpha and Fleiss kappa of a tiny case worked by hand', async () => {
    // Units {A,A,A}, {A,A,B}, {B,B,B}, {A,B,TIE}. Coincidences: o_AA = 3 + 1 = 4, o_BB = 3, o_AB = o_BA = 1 + 1/2,
    // o_AT = o_TA = o_BT = o_TB = 1/2; n_A = 6, n_B = 5, n_T = 1, n = 12.
    // alpha = 1 - (n - 1) * sum_{c != k} o_ck / (n^2 - sum n_c^2) = 1 - 11 * 5 / (144 - 62) = 27/82.
    // Fleiss: P_i = 1, 1/3, 1, 0 -> P-bar = 7/12; p = 6/12, 5/12, 1/12 -> P_e = 62/144; kappa = (84 - 62) / (144 - 62) = 11/41.
    const units: Choice[][] = [['A', 'A', 'A'], ['A', 'A', 'B'], ['B', 'B', 'B'], ['A', 'B', 'TIE']];
    const { campaignId } = await seedStats(t.app, {
      comparisons: units.map(() => ({ modelA: 'm1', modelB: 'm2' })),
      raters: 3,
      judgments: everyoneJudges(4, 3, (c, r) => units[c]![r]!),
    });
    const { agreement } = await stats(campaignId);
    expect(agreement).toMatchObject({ judgments: 12, comparisons: 4 });
    expect(agreement.krippendorffAlpha.value).toBeCloseTo(27 / 82, 12);
    expect(agreement.krippendorffAlpha.units).toBe(4);
    expect(agreement.fleissKappa.value).toBeCloseTo(11 / 41, 12);
    expect(agreement.fleissKappa.k).toBe(3);
    // No pair of raters shares 20 comparisons, so there is no Cohen mean; no strength scale, no ordinal alpha.
    expect(agreement.cohenKappaMean).toMatchObject({ value: null, pairs: 0 });
    expect(agreement.alphaOrdinal).toBeUndefined();
  });

  it('marks a rater who always picks the left side and one who clicks too fast for review', async () => {
    // 30 comparisons, A always better; sides alternate, and so does which response is longer. Raters 0-1
    // judge carefully, rater 2 always clicks left (half of their answers are wrong), rater 3 agrees with
    // the others but in 0.5 s each (the reading floor for 700 characters is 2 s + 5 ms a character = 5.5 s).
    const judgments: StatsJudgment[] = everyoneJudges(30, 4, (c, r) => (r === 2 && c % 2 === 1 ? 'B' : 'A')).map((j) => ({
      ...j,
      leftIsA: j.comparison % 2 === 0,
      timeMs: j.rater === 3 ? 500 : 20_000 + 1000 * j.rater,
    }));
    const { campaignId, raterIds } = await seedStats(t.app, {
      k: 4,
      comparisons: Array.from({ length: 30 }, (_, c) => {
        const [long, short] = ['x'.repeat(400), 'y'.repeat(300)];
        return { modelA: 'good', modelB: 'bad', contentA: c % 3 === 0 ? long : short, contentB: c % 3 === 0 ? short : long };
      }),
      raters: ['Careful one', 'Careful two', 'Left clicker', 'Fast clicker'],
      judgments,
    });
    const { raters } = await stats(campaignId);
    const byId = new Map(raters.map((r: { id: string }) => [r.id, r]));
    const [careful, , left, fast] = raterIds.map((id) => byId.get(id) as Record<string, unknown>);
    expect(careful).toMatchObject({ name: 'Careful one', judgments: 30, agreementWithOthers: 1, leftShare: 0.5, longerShare: 10 / 30, medianTimeMs: 20_000, fastShare: 0, review: [], excluded: false });
    // Agreement 0.5 is not below the 0.5 threshold: the side habit alone marks this rater.
    expect(left).toMatchObject({ leftShare: 1, agreementWithOthers: 0.5, review: ['side-bias'] });
    expect(left!.leftP).toBeLessThan(1e-6);
    expect(fast).toMatchObject({ medianTimeMs: 500, fastShare: 1, agreementWithOthers: 1, review: ['too-fast'] });
    expect(String(careful!.pseudonym)).toMatch(/^rater-[0-9a-f]{10}$/);
    // Pairwise Cohen kappa per rater: two raters who always say A have no defined kappa (chance agreement
    // is 1); against the left clicker (half A, half B) every kappa is 0.
    expect(careful).toMatchObject({ pairKappa: 0, pairKappaRaters: 1 });
    expect(left).toMatchObject({ pairKappa: 0, pairKappaRaters: 3 });
    // Every pair, least agreeing first: the left clicker with each of the others (0), then the three
    // pairs of raters who always said A (kappa undefined). No strength scale, so no weighted kappa.
    const { pairs } = (await client(t.app, admin).get(`/api/campaigns/${campaignId}/rater-pairs`).expect(200)).body;
    expect(pairs).toHaveLength(6);
    expect(pairs.map((p: { kappa: number | null }) => p.kappa)).toEqual([0, 0, 0, null, null, null]);
    expect(pairs.slice(0, 3).every((p: { raterA: { name: string }; raterB: { name: string } }) => [p.raterA.name, p.raterB.name].includes('Left clicker'))).toBe(true);
    expect(pairs[0]).toMatchObject({ overlap: 30 });
    expect(pairs[0]).not.toHaveProperty('weightedKappa');
    // The same table on its own.
    const table = await client(t.app, admin).get(`/api/campaigns/${campaignId}/raters`).expect(200);
    expect(table.body.raters).toEqual(raters);

    // The campaign's thresholds decide the marks: a lower floor clears the fast clicker, a stricter
    // agreement bar now catches the left clicker (0.5 agreement) too.
    const before = await stats(campaignId);
    expect(before.reviewThresholds).toMatchObject({ floorBaseMs: 2000, floorPerCharMs: 5, minAgreement: 0.5 });
    const reviewThresholds = { ...before.reviewThresholds, floorBaseMs: 0, floorPerCharMs: 0.5, minAgreement: 0.6 };
    await client(t.app, admin).patch(`/api/campaigns/${campaignId}`).send({ reviewThresholds }).expect(200);
    const after = await stats(campaignId);
    expect(after.reviewThresholds).toEqual(reviewThresholds);
    const marks = new Map(after.raters.map((r: { id: string; review: string[] }) => [r.id, r.review]));
    expect(raterIds.map((id) => marks.get(id))).toEqual([[], [], ['low-agreement', 'side-bias'], []]);
    expect((await client(t.app, admin).get(`/api/campaigns/${campaignId}/raters`).expect(200)).body.raters.map((r: { review: string[] }) => r.review)).toEqual(
      after.raters.map((r: { review: string[] }) => r.review),
    );
  });

  it('gives alpha and quadratic-weighted Cohen kappa on the strength scale when the design has one', async () => {
    // 24 comparisons, 3 raters; raters 0 and 1 give the same signed strength, rater 2 is one step off on every other one.
    const design = { scale: { allowTie: true, allowBothBad: false, strengthLevels: ['Slightly better', 'Better', 'Much better'] } };
    const signed = (c: number, r: number) => {
      const truth = (c % 7) - 3;
      return r === 2 && c % 2 === 1 ? Math.max(-3, Math.min(3, truth + (truth >= 0 ? -1 : 1))) : truth;
    };
    const judgments: StatsJudgment[] = everyoneJudges(24, 3, () => 'A').map((j) => {
      const s = signed(j.comparison, j.rater);
      return { ...j, choice: s > 0 ? 'A' : s < 0 ? 'B' : 'TIE', strength: s === 0 ? undefined : Math.abs(s) };
    });
    const { campaignId } = await seedStats(t.app, { k: 3, design, comparisons: Array.from({ length: 24 }, () => ({ modelA: 'x', modelB: 'y' })), raters: 3, judgments });
    const { agreement } = await stats(campaignId);
    expect(agreement.alphaOrdinal.value).toBeGreaterThan(0.8);
    expect(agreement.cohenWeightedKappaMean).toMatchObject({ pairs: 3 });
    // Near misses earn partial credit: the weighted mean is above the plain one on the choice.
    expect(agreement.cohenWeightedKappaMean.value).toBeGreaterThan(agreement.cohenKappaMean.value);
    expect(agreement.cohenWeightedKappaMean.value).toBeLessThan(1);
    expect(agreement.cohenWeightedKappaMean.ci[0]).toBeLessThanOrEqual(agreement.cohenWeightedKappaMean.value);
    // Pair by pair: raters 0 and 1 agree on every strength; each of them with rater 2 is off by one step half the time.
    const { pairs } = (await client(t.app, admin).get(`/api/campaigns/${campaignId}/rater-pairs`).expect(200)).body;
    expect(pairs).toHaveLength(3);
    const exact = pairs.find((p: { kappa: number }) => p.kappa === 1);
    expect(exact).toMatchObject({ overlap: 24, weightedKappa: 1 });
    for (const p of pairs.filter((q: { kappa: number }) => q !== exact)) expect(p.weightedKappa).toBeGreaterThan(p.kappa);
  });

  it('counts only the k earliest standing judgments, reports the surplus, and treats both-bad as asked', async () => {
    const judgments: StatsJudgment[] = [
      { comparison: 0, rater: 0, choice: 'A' },
      { comparison: 0, rater: 1, choice: 'B', undone: true },
      { comparison: 0, rater: 2, choice: 'BOTH_BAD' },
      // Beyond k = 2 standing judgments of comparison 0: surplus, not counted.
      { comparison: 0, rater: 3, choice: 'B' },
      { comparison: 1, rater: 0, choice: 'B' },
      { comparison: 1, rater: 1, choice: 'BOTH_BAD' },
      // A gold item: counts for gold accuracy, not for progress or the leaderboard.
      { comparison: 2, rater: 0, choice: 'A' },
    ];
    const { campaignId } = await seedStats(t.app, {
      k: 2,
      comparisons: [{ modelA: 'x', modelB: 'y' }, { modelA: 'x', modelB: 'y' }, { modelA: 'x', modelB: 'y', gold: 'A' }],
      raters: 4,
      judgments,
    });
    // Rows of an import that is not published stay invisible.
    await seedStats(t.app, {
      campaignId,
      importStatus: 'RUNNING',
      comparisons: [{ modelA: 'x', modelB: 'z' }],
      raters: 1,
      judgments: [{ comparison: 0, rater: 0, choice: 'A' }],
    });
    const body = await stats(campaignId);
    expect(body.surplus).toBe(1);
    expect(body.progress).toMatchObject({ comparisons: 2, complete: 2, judgments: 4, target: 4, goldJudgments: 1 });
    expect(body.progress.perDay).toEqual([{ date: SEED_START.toISOString().slice(0, 10), judgments: 4 }]);
    expect(body.progress.perHour).toEqual([{ hour: SEED_START.toISOString(), judgments: 4 }]);
    const x = (b: { leaderboard: { model: string }[] }) => b.leaderboard.find((r) => r.model === 'x');
    // Counted: A, BOTH_BAD (comparison 0), B, BOTH_BAD (comparison 1).
    expect(x(body)).toMatchObject({ judgments: 4, wins: 1, losses: 1, ties: 2 });
    expect(body.winRates.models.sort()).toEqual(['x', 'y']);
    const dropped = await stats(campaignId, '&bothBad=drop');
    expect(x(dropped)).toMatchObject({ judgments: 2, wins: 1, losses: 1, ties: 0 });
    const gold = body.raters.find((r: { goldJudgments: number }) => r.goldJudgments > 0);
    expect(gold).toMatchObject({ goldAccuracy: 1, goldJudgments: 1, judgments: 3 });
  });

  it('counts per hour while the judgments span under two days, and per day only after that', async () => {
    const at = (hours: number) => new Date(SEED_START.getTime() + hours * 3_600_000 + 60_000);
    const judged = (hours: number[]) =>
      hours.map((h, i) => ({ comparison: i, rater: 0, choice: 'A' as const, createdAt: at(h) }));
    const spec = (hours: number[]) => ({ k: 1, comparisons: hours.map(() => ({ modelA: 'x', modelB: 'y' })), raters: 1, judgments: judged(hours) });
    // 09:01, 09:01 and 11:01 on the first day, 08:01 two days later (47 hours after the first): hourly.
    const dayOne = await stats((await seedStats(t.app, spec([0, 0, 2, 23 + 24]))).campaignId);
    const hour = (h: number) => new Date(SEED_START.getTime() + h * 3_600_000).toISOString();
    expect(dayOne.progress.perHour).toEqual([
      { hour: hour(0), judgments: 2 },
      { hour: hour(2), judgments: 1 },
      { hour: hour(47), judgments: 1 },
    ]);
    expect(dayOne.progress.perDay.map((d: { judgments: number }) => d.judgments)).toEqual([3, 1]);
    // 48 hours apart: the days tell the story, no hourly series.
    const later = await stats((await seedStats(t.app, spec([0, 48]))).campaignId);
    expect(later.progress.perHour).toEqual([]);
    expect(later.progress.perDay).toHaveLength(2);
  });

  it('says why nominal alpha is undefined: no comparison with two judgments, or one answer throughout', async () => {
    const pairs = (n: number) => Array.from({ length: n }, () => ({ modelA: 'x', modelB: 'y' }));
    const single = await stats((await seedStats(t.app, { comparisons: pairs(3), raters: 3, judgments: [0, 1, 2].map((c) => ({ comparison: c, rater: c, choice: 'A' as const })) })).campaignId);
    expect(single.agreement.krippendorffAlpha.value).toBeNull();
    expect(single.agreement.alphaUndefined).toEqual({ reason: 'no-pairable-comparisons' });
    // Everyone always said "tie"; the lone judgment of comparison 2 (B) is not pairable, so it does not count.
    const ties = everyoneJudges(2, 2, () => 'TIE').concat([{ comparison: 2, rater: 0, choice: 'B' }]);
    const same = await stats((await seedStats(t.app, { comparisons: pairs(3), raters: 2, judgments: ties })).campaignId);
    expect(same.agreement.krippendorffAlpha.value).toBeNull();
    expect(same.agreement.alphaUndefined).toEqual({ reason: 'one-answer-throughout', onlyAnswer: 'TIE', judgments: 4 });
    const mixed = await stats((await seedStats(t.app, { comparisons: pairs(2), raters: 2, judgments: everyoneJudges(2, 2, (c) => (c === 0 ? 'A' : 'B')) })).campaignId);
    expect(mixed.agreement.krippendorffAlpha.value).toBe(1);
    expect(mixed.agreement.alphaUndefined).toBeNull();
  });

  it('reads one criterion when asked, and refuses a criterion the campaign does not have', async () => {
    const design = {
      criteria: [
        { name: 'helpfulness', label: 'Helpfulness' },
        { name: 'harmlessness', label: 'Harmlessness' },
      ],
    };
    const { campaignId } = await seedStats(t.app, {
      k: 2,
      design,
      comparisons: [{ modelA: 'p', modelB: 'q' }, { modelA: 'p', modelB: 'q' }],
      raters: 2,
      judgments: everyoneJudges(2, 2, () => 'A').map((j) => ({
        ...j,
        criteria: { helpfulness: { choice: 'A' as const }, harmlessness: { choice: 'B' as const } },
      })),
    });
    const overall = await stats(campaignId);
    expect(overall.criterion).toBeNull();
    expect(overall.leaderboard.find((r: { model: string }) => r.model === 'p')).toMatchObject({ wins: 4, losses: 0 });
    const harmless = await stats(campaignId, '&criterion=harmlessness');
    expect(harmless.criterion).toBe('harmlessness');
    expect(harmless.leaderboard.find((r: { model: string }) => r.model === 'p')).toMatchObject({ wins: 0, losses: 4, estimable: false, reason: 'lost-every-comparison' });
    expect(harmless.agreement.krippendorffAlpha.units).toBe(2);
    const res = await client(t.app, admin).get(`/api/campaigns/${campaignId}/stats?criterion=honesty`).expect(400);
    expect(res.body.error.message).toContain('helpfulness, harmlessness');
  });

  it('gives the same intervals for the same seed, and is for admins only', async () => {
    const { campaignId } = await seedStats(t.app, {
      k: 1,
      comparisons: Array.from({ length: 12 }, (_, i) => ({ modelA: `m${i % 3}`, modelB: `m${(i + 1) % 3}` })),
      raters: 1,
      judgments: Array.from({ length: 12 }, (_, i) => ({ comparison: i, rater: 0, choice: (i % 4 === 0 ? 'B' : 'A') as Choice })),
    });
    const [first, second] = [await stats(campaignId, '&seed=7'), await stats(campaignId, '&seed=7')];
    expect(first.leaderboard).toEqual(second.leaderboard);
    expect(first.bootstrap).toMatchObject({ rounds: 200, seed: 7 });
    const rater = await createUser(t.app, 'RATER', [campaignId]);
    await client(t.app, rater).get(`/api/campaigns/${campaignId}/stats`).expect(403);
    await client(t.app, null).get(`/api/campaigns/${campaignId}/stats`).expect(401);
    await client(t.app, admin).get(`/api/campaigns/00000000-0000-4000-8000-000000000000/stats`).expect(404);
  });
});
