// Bradley-Terry leaderboard against the published and reference fits in tests/fixtures, plus the cases without an MLE.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sampleMultinomial } from '../../../server/domain/stats/binomial';
import { bradleyTerryLeaderboard, ELO_BASE, ELO_MEAN, ELO_SCALE, type Leaderboard, type PairOutcomeCounts } from '../../../server/domain/stats/bradley-terry';
import { createRefitter, fitLogStrengths, type PairCounts } from '../../../server/domain/stats/bradley-terry-fit';
import { createSeededRandom } from '../../../server/domain/stats/random';

function fixture<T>(path: string): T {
  return JSON.parse(readFileSync(new URL(`../../fixtures/${path}`, import.meta.url), 'utf8')) as T;
}

function ratingsOf(board: Leaderboard): Record<string, number | null> {
  return Object.fromEntries(board.ratings.map((r) => [r.model, r.rating]));
}

interface ExpectedBt {
  pairwise_counts: { pair: [string, string]; wins_first: number; wins_second: number; ties: number }[];
  bt_ties_as_half: { ratings: Record<string, { rating: number }> };
  crosscheck: { suggested_test_tolerance_elo: number };
}

describe('Bradley-Terry against reference fits', () => {
  for (const file of ['vicuna-eval-2023.json', 'alpaca-eval-v1.json']) {
    it(`${file}: bt_ties_as_half within the suggested tolerance`, () => {
      const expected = fixture<ExpectedBt>(`bt-expected/${file}`);
      const rows: PairOutcomeCounts[] = expected.pairwise_counts.map(({ pair, wins_first, wins_second, ties }) => ({
        modelA: pair[0],
        modelB: pair[1],
        winsA: wins_first,
        winsB: wins_second,
        ties,
      }));
      const board = bradleyTerryLeaderboard(rows, { rounds: 200 });
      const actual = ratingsOf(board);
      const reference = Object.entries(expected.bt_ties_as_half.ratings);
      // Both are normalised to mean 1000; align the mean anyway so only the rating differences are compared.
      const offset = reference.reduce((sum, [model, { rating }]) => sum + actual[model]! - rating, 0) / reference.length;
      expect(Math.abs(offset)).toBeLessThan(1e-6);
      for (const [model, { rating }] of reference) {
        expect(Math.abs(actual[model]! - offset - rating)).toBeLessThanOrEqual(expected.crosscheck.suggested_test_tolerance_elo);
      }
      expect(board.models).toEqual(Object.keys(expected.bt_ties_as_half.ratings));
      expect(board.ratings.every((r) => r.estimable && r.ci![0] < r.rating! && r.rating! < r.ci![1])).toBe(true);
    });
  }

  it('reproduces the Wikipedia worked example (strengths with geometric mean 1)', () => {
    const example = fixture<{
      games: Record<string, number>;
      expected_strength_geomean1: Record<string, number>;
      tolerance_rel: number;
    }>('bradley-terry/wikipedia_bt_example.json');
    const rows = Object.entries(example.games).map(([game, wins]) => {
      const [winner, loser] = game.split('>') as [string, string];
      return { modelA: winner, modelB: loser, winsA: wins, winsB: 0, ties: 0 };
    });
    const ratings = ratingsOf(bradleyTerryLeaderboard(rows, { rounds: 0 }));
    for (const [model, strength] of Object.entries(example.expected_strength_geomean1)) {
      const fitted = ELO_BASE ** ((ratings[model]! - ELO_MEAN) / ELO_SCALE);
      // The published strengths are rounded to three decimals.
      expect(Math.abs(fitted - strength)).toBeLessThanOrEqual(Math.max(example.tolerance_rel * strength, 0.0005));
    }
  });
});

describe('Bradley-Terry edge cases', () => {
  const triangle: PairOutcomeCounts[] = [
    { modelA: 'a', modelB: 'b', winsA: 30, winsB: 20, ties: 5 },
    { modelA: 'b', modelB: 'c', winsA: 25, winsB: 22, ties: 3 },
    { modelA: 'c', modelB: 'a', winsA: 18, winsB: 27, ties: 4 },
  ];

  it('reports a model that won every comparison as not estimable and rates the rest alone', () => {
    const withChampion = [...triangle, { modelA: 'champ', modelB: 'a', winsA: 10, winsB: 0, ties: 0 }, { modelA: 'b', modelB: 'champ', winsA: 0, winsB: 7, ties: 0 }];
    const board = bradleyTerryLeaderboard(withChampion, { rounds: 100 });
    const champ = board.ratings.find((r) => r.model === 'champ')!;
    expect(champ).toMatchObject({ rating: null, ci: null, estimable: false, reason: 'won-every-comparison', wins: 17, losses: 0 });
    expect(board.models.at(-1)).toBe('champ');
    const alone = ratingsOf(bradleyTerryLeaderboard(triangle, { rounds: 0 }));
    for (const model of ['a', 'b', 'c']) expect(ratingsOf(board)[model]).toBeCloseTo(alone[model]!, 8);
  });

  it('reports a model that lost every comparison', () => {
    const board = bradleyTerryLeaderboard([...triangle, { modelA: 'weak', modelB: 'c', winsA: 0, winsB: 12, ties: 0 }], { rounds: 0 });
    expect(board.ratings.find((r) => r.model === 'weak')).toMatchObject({ estimable: false, reason: 'lost-every-comparison' });
  });

  it('reports a pair compared only with each other as disconnected', () => {
    const board = bradleyTerryLeaderboard([...triangle, { modelA: 'x', modelB: 'y', winsA: 6, winsB: 4, ties: 1 }], { rounds: 50 });
    for (const model of ['x', 'y']) {
      expect(board.ratings.find((r) => r.model === model)).toMatchObject({ estimable: false, reason: 'disconnected', rating: null });
    }
    const mean = ['a', 'b', 'c'].reduce((sum, m) => sum + ratingsOf(board)[m]!, 0) / 3;
    expect(mean).toBeCloseTo(ELO_MEAN, 9);
  });

  it('reports a group that beat the rest without ever losing to it', () => {
    const board = bradleyTerryLeaderboard(
      [...triangle, { modelA: 'p', modelB: 'q', winsA: 5, winsB: 5, ties: 0 }, { modelA: 'p', modelB: 'a', winsA: 3, winsB: 0, ties: 0 }],
      { rounds: 0 },
    );
    // p and q beat each other and p beat a, but nothing of the triangle ever beat them: only the pair as a whole is unbounded.
    expect(board.ratings.find((r) => r.model === 'p')).toMatchObject({ estimable: false, reason: 'no-finite-estimate' });
    expect(board.ratings.find((r) => r.model === 'q')).toMatchObject({ estimable: false });
    expect(board.ratings.filter((r) => r.estimable).map((r) => r.model).sort()).toEqual(['a', 'b', 'c']);
  });

  it('gives no rating at all when no part of the graph has an MLE', () => {
    const board = bradleyTerryLeaderboard([{ modelA: 'a', modelB: 'b', winsA: 3, winsB: 0, ties: 0 }]);
    expect(board.ratings.map((r) => r.reason)).toEqual(['won-every-comparison', 'lost-every-comparison']);
    expect(board.bootstrap).toMatchObject({ rounds: 0, used: 0 });
  });

  it('adds up rows of the same pair given in either order, and builds the win-rate matrix', () => {
    const board = bradleyTerryLeaderboard([
      { modelA: 'a', modelB: 'b', winsA: 3, winsB: 1, ties: 2 },
      { modelA: 'b', modelB: 'a', winsA: 2, winsB: 4, ties: 0 },
    ], { rounds: 0 });
    expect(board.models).toEqual(['a', 'b']);
    expect(board.pairJudgments).toEqual([[0, 12], [12, 0]]);
    expect(board.winRates).toEqual([[null, 8 / 12], [4 / 12, null]]);
    expect(board.ratings[0]).toMatchObject({ model: 'a', wins: 7, losses: 3, ties: 2, judgments: 12 });
    // Two models: the MLE odds equal the observed odds, ties as half.
    expect(board.ratings[0]!.rating! - board.ratings[1]!.rating!).toBeCloseTo(ELO_SCALE * Math.log10(8 / 4), 8);
  });

  it('rejects counts that are not non-negative integers', () => {
    expect(() => bradleyTerryLeaderboard([{ modelA: 'a', modelB: 'b', winsA: 1.5, winsB: 0, ties: 0 }])).toThrow(RangeError);
    expect(() => bradleyTerryLeaderboard([{ modelA: 'a', modelB: 'a', winsA: 1, winsB: 0, ties: 0 }])).toThrow(RangeError);
  });
});

describe('Bradley-Terry bootstrap', () => {
  const vicuna = fixture<ExpectedBt>('bt-expected/vicuna-eval-2023.json');
  const rows = vicuna.pairwise_counts.map(({ pair, wins_first, wins_second, ties }) => ({ modelA: pair[0], modelB: pair[1], winsA: wins_first, winsB: wins_second, ties }));

  it('is reproducible with the same seed and differs with another', () => {
    const first = bradleyTerryLeaderboard(rows, { seed: 42, rounds: 300 });
    expect(bradleyTerryLeaderboard(rows, { seed: 42, rounds: 300 })).toEqual(first);
    expect(bradleyTerryLeaderboard(rows, { seed: 43, rounds: 300 }).ratings[0]!.ci).not.toEqual(first.ratings[0]!.ci);
    expect(first.bootstrap).toEqual({ rounds: 300, used: 300 - first.bootstrap.dropped, dropped: first.bootstrap.dropped, seed: 42 });
  });

  it('gives intervals of about the width of the sandwich intervals of the reference', () => {
    const board = bradleyTerryLeaderboard(rows, { seed: 5, rounds: 1000 });
    const reference = vicuna as unknown as { bt_ties_as_half: { ratings: Record<string, { sandwich_ci95: [number, number] }> } };
    for (const r of board.ratings) {
      const [low, high] = reference.bt_ties_as_half.ratings[r.model]!.sandwich_ci95;
      const width = r.ci![1] - r.ci![0];
      expect(width / (high - low)).toBeGreaterThan(0.7);
      expect(width / (high - low)).toBeLessThan(1.4);
    }
  });

  it('counts and leaves out rounds where a model becomes non-estimable', () => {
    // a won once in 30 judgments: a resample without that win leaves a with no finite rating.
    const sparse = [
      { modelA: 'a', modelB: 'b', winsA: 1, winsB: 9, ties: 0 },
      { modelA: 'b', modelB: 'c', winsA: 5, winsB: 5, ties: 0 },
      { modelA: 'a', modelB: 'c', winsA: 0, winsB: 10, ties: 0 },
    ];
    const board = bradleyTerryLeaderboard(sparse, { seed: 9, rounds: 400 });
    // P(no win for a) = (29/30)^30 ~ 0.36, so about 145 of 400 rounds drop.
    expect(board.bootstrap.dropped).toBeGreaterThan(80);
    expect(board.bootstrap.dropped).toBeLessThan(200);
    expect(board.bootstrap.used + board.bootstrap.dropped).toBe(400);
    expect(board.ratings.every((r) => r.ci !== null)).toBe(true);
  });
});

describe('Bradley-Terry bootstrap refits', () => {
  /** Counts of `models` models, every pair met `n` times, outcomes from the strengths 0, 0.3, 0.6, ... (natural log). */
  function roundRobin(models: number, n: number, tieShare: number): PairCounts {
    const [first, second, counts] = [[] as number[], [] as number[], [] as number[]];
    for (let a = 0; a < models; a++) {
      for (let b = a + 1; b < models; b++) {
        const ties = Math.round(tieShare * n);
        const winsA = Math.round((n - ties) / (1 + Math.exp(0.3 * (b - a))));
        first.push(a);
        second.push(b);
        counts.push(winsA, n - ties - winsA, ties);
      }
    }
    return { models, first: Int32Array.from(first), second: Int32Array.from(second), counts: Float64Array.from(counts) };
  }

  const maxDifference = (x: Float64Array, y: Float64Array) => Math.max(...x.map((v, i) => Math.abs(v - y[i]!)));

  it('reach the same maximum as full Newton fits on resampled counts', () => {
    const data = roundRobin(12, 300, 0.1);
    const start = fitLogStrengths(data)!;
    const original = Float64Array.from(data.counts as Float64Array);
    const resampled = data.counts as Float64Array;
    const refit = createRefitter(data, start, 1e-9);
    const random = createSeededRandom(5);
    for (let round = 0; round < 20; round++) {
      sampleMultinomial(random, original, resampled);
      expect(maxDifference(refit()!, fitLogStrengths(data)!)).toBeLessThan(1e-8);
    }
  });

  it('hand over to full Newton steps when the counts are far from those the matrix was taken at', () => {
    const data = roundRobin(6, 40, 0);
    const start = fitLogStrengths(data)!;
    const refit = createRefitter(data, start, 1e-9);
    // A hundred times the judgments, every result reversed: chord steps with the old matrix overshoot
    // a hundredfold and would diverge.
    const counts = data.counts as Float64Array;
    for (let p = 0; p < data.first.length; p++) {
      [counts[3 * p], counts[3 * p + 1]] = [100 * counts[3 * p + 1]!, 100 * counts[3 * p]!];
    }
    const expected = fitLogStrengths(data)!;
    expect(maxDifference(expected, start.map((t) => -t))).toBeLessThan(1e-6);
    expect(maxDifference(refit()!, expected)).toBeLessThan(1e-8);
  });
});
