// Statistics of rankings: Kendall's W against published worked examples (tests/fixtures/agreement/kendall_w.json:
// R irr's anxiety data as printed by DescTools' KendallW, with ties; Siegel & Castellan 1988, without), tau-b,
// the "first card preferred" test, alpha over groups of units, and the leaderboard bootstrap over whole rankings.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { groupIdentical, packKey } from '../../../server/domain/stats/bootstrap';
import { bradleyTerryLeaderboard, type PairOutcomeCounts } from '../../../server/domain/stats/bradley-terry';
import { addFirstCard, emptyFirstCardTally, erfc, firstCardTest } from '../../../server/domain/stats/first-card';
import { kendallTauB, kendallW, midRanks } from '../../../server/domain/stats/kendall';
import { krippendorffAlpha, krippendorffAlphaEstimate, reliabilityFromUnitGroups, reliabilityFromUnits } from '../../../server/domain/stats/krippendorff';
import { createSeededRandom } from '../../../server/domain/stats/random';

interface WExample {
  subjects_by_raters: number[][];
  expected: { w?: number; w_tie_corrected?: number; chi_squared: number; df: number };
  tolerance: number;
}
const fixture = JSON.parse(readFileSync(new URL('../../fixtures/agreement/kendall_w.json', import.meta.url), 'utf8')) as Record<'anxiety' | 'siegel_castellan', WExample>;
/** One ranking per rater: the fixture's columns. */
const byRater = (example: WExample) => example.subjects_by_raters[0]!.map((_, r) => example.subjects_by_raters.map((row) => row[r]!));

describe("Kendall's W", () => {
  it('reproduces the tie-corrected W of R irr anxiety data, as published in DescTools KendallW (0.5396569, chi-squared 30.76 on 19 df)', () => {
    const { anxiety } = fixture;
    const result = kendallW(byRater(anxiety));
    expect(Math.abs(result.w! - anxiety.expected.w_tie_corrected!)).toBeLessThan(anxiety.tolerance);
    expect(result.chiSquared!).toBeCloseTo(anxiety.expected.chi_squared, 2);
    expect(result.df).toBe(anxiety.expected.df);
  });

  it('reproduces Siegel & Castellan (1988): W 0.6560847, chi-squared 13.778 on 7 df (no ties)', () => {
    const example = fixture.siegel_castellan;
    const result = kendallW(byRater(example));
    expect(Math.abs(result.w! - example.expected.w!)).toBeLessThan(example.tolerance);
    expect(result.chiSquared!).toBeCloseTo(example.expected.chi_squared, 3);
  });

  it('is 1 for identical rankings with ties, and undefined when every ranking ties everything', () => {
    expect(kendallW([[1, 2, 2, 3], [1, 2, 2, 3], [1, 2, 2, 3]]).w).toBeCloseTo(1, 12);
    expect(kendallW([[1, 1, 1], [2, 2, 2]]).w).toBeNull();
    expect(midRanks([10, 20, 20, 5])).toEqual([2, 3.5, 3.5, 1]);
  });
});

describe("Kendall's tau-b", () => {
  it("matches SciPy's documented kendalltau example (-0.47140452079103173)", () => {
    expect(kendallTauB([12, 2, 1, 12, 2], [1, 4, 7, 1, 0])).toBeCloseTo(-0.47140452079103173, 12);
    expect(kendallTauB([1, 2, 3, 4], [1, 2, 3, 4])).toBe(1);
    expect(kendallTauB([1, 1, 1], [1, 2, 3])).toBeNull();
  });
});

describe('first card preferred', () => {
  /** Shares of the other cards each of K cards beat, for a ranking without ties (card c has rank order[c]). */
  const shares = (order: number[]) => order.map((rank) => (order.length - 1 - rank) / (order.length - 1));
  const shuffled = (random: () => number, k: number) => {
    const order = [...Array(k).keys()];
    for (let i = k - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    return order;
  };

  it('flags a rater who puts the first card on top, not one whose first card lands anywhere at random', () => {
    const random = createSeededRandom(7);
    const [biased, fair] = [emptyFirstCardTally(), emptyFirstCardTally()];
    for (let n = 0; n < 60; n++) {
      const order = shuffled(random, 4);
      // Biased: the card shown first (card 0) is moved to the top two times in three.
      const onTop = order.map((rank, card) => (card === 0 ? 0 : rank < order[0]! ? rank + 1 : rank));
      addFirstCard(biased, shares(random() < 2 / 3 ? onTop : order), 0);
      addFirstCard(fair, shares(order), 0);
    }
    const [b, f] = [firstCardTest(biased), firstCardTest(fair)];
    expect(b.share!).toBeGreaterThan(0.75);
    expect(b.p!).toBeLessThan(1e-6);
    expect(f.p!).toBeGreaterThan(0.05);
    expect(f.rankings).toBe(60);
  });

  it('reads one ranking as one observation: share and z from the K shares', () => {
    const tally = emptyFirstCardTally();
    // K = 3, no ties: the first card beat both others; shares 1, 1/2, 0 -> variance 1/6 per ranking.
    for (let n = 0; n < 6; n++) addFirstCard(tally, [1, 0.5, 0], 0);
    const z = (6 * 0.5) / Math.sqrt(6 / 6);
    expect(firstCardTest(tally)).toMatchObject({ share: 1, rankings: 6 });
    expect(firstCardTest(tally).p).toBeCloseTo(erfc(z / Math.SQRT2), 12);
    // Every card tied: nothing to test.
    const tied = emptyFirstCardTally();
    addFirstCard(tied, [0.5, 0.5, 0.5], 1);
    expect(firstCardTest(tied)).toMatchObject({ share: 0.5, p: null });
  });

  it('erfc is within 1.2e-7 of known values', () => {
    expect(erfc(0)).toBeCloseTo(1, 7);
    expect(erfc(1.959963984540054 / Math.SQRT2)).toBeCloseTo(0.05, 7);
    expect(erfc(-1)).toBeCloseTo(1.8427007929497148, 7);
  });
});

describe("Krippendorff's alpha over groups of units", () => {
  it('equals alpha over the same units one by one, and bootstraps whole groups', () => {
    const groups = [
      [[1, 1, 2], [2, 2, 1], [3, 3, 3]],
      [[1, 2, 1], [2, 1, 2], [3, 3, 3]],
      [[1, 1, 1], [2.5, 2.5, 2], [2.5, 2.5, 3]],
      [[1, 1, 2], [2, 2, 1], [3, 3, 3]],
    ];
    const grouped = reliabilityFromUnitGroups(groups);
    expect(grouped.multiplicities.reduce((a, b) => a + b, 0)).toBe(4);
    // The first two groups differ only in which rater gave which value: the same coincidences, one pattern.
    expect([...grouped.multiplicities].sort()).toEqual([1, 3]);
    expect(krippendorffAlpha(grouped, 'ordinal')).toBeCloseTo(krippendorffAlpha(reliabilityFromUnits(groups.flat()), 'ordinal')!, 12);
    const estimate = krippendorffAlphaEstimate(grouped, 'ordinal', { rounds: 200, seed: 3 });
    expect(estimate.units).toBe(4);
    expect(estimate.ci).not.toBeNull();
  });
});

describe("Krippendorff's alpha over groups of units: grouping keys", () => {
  // Groups are the same pattern when they hold the same units up to order, a unit's values up to order. Keys are
  // numbers while they fit in 53 bits, text beyond: both must group as this straightforward key does.
  const straightforward = (groups: number[][][]) => {
    const first = new Map<string, number>();
    const counts: number[] = [];
    for (const group of groups) {
      const key = JSON.stringify(group.map((unit) => [...unit].sort((x, y) => x - y)).sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y))));
      if (!first.has(key)) first.set(key, counts.push(0) - 1);
      counts[first.get(key)!]!++;
    }
    return counts;
  };
  const randomGroups = (count: number, units: number, raters: number, seed: number) => {
    const random = createSeededRandom(seed);
    // Few distinct patterns, so that groups repeat (in shuffled unit and rater order).
    const bases = Array.from({ length: 5 }, () => Array.from({ length: units }, (_, u) => Array.from({ length: raters }, () => u + 1 + Math.floor(random() * 2) / 2)));
    const shuffle = <T>(list: T[]) => list.map((v) => ({ v, k: random() })).sort((x, y) => x.k - y.k).map(({ v }) => v);
    return Array.from({ length: count }, () => shuffle(bases[Math.floor(random() * bases.length)]!.map((unit) => shuffle([...unit]))));
  };

  for (const [label, units, raters] of [['number keys (4 units of 3)', 4, 3], ['text keys (12 units of 6)', 12, 6]] as const) {
    it(`groups as the straightforward key does, with ${label}`, () => {
      const groups = randomGroups(200, units, raters, 17);
      const grouped = reliabilityFromUnitGroups(groups);
      expect(grouped.multiplicities).toEqual(straightforward(groups));
      expect(grouped.multiplicities.length).toBeLessThanOrEqual(5);
      expect(krippendorffAlpha(grouped, 'ordinal')).toBeCloseTo(krippendorffAlpha(reliabilityFromUnits(groups.flat()), 'ordinal')!, 12);
    });
  }
});

describe('leaderboard bootstrap over rankings', () => {
  // Four models; each ranking of all four expands into 6 pairs, kept together as one unit.
  const models = ['m0', 'm1', 'm2', 'm3'];
  const random = createSeededRandom(11);
  const rankings = Array.from({ length: 40 }, () => {
    const noisy = models.map((_, m) => m + 2.5 * random());
    return models.map((_, m) => noisy.filter((v) => v > noisy[m]!).length);
  });
  const cells = new Map<string, PairOutcomeCounts>();
  const unitCells = rankings.map((ranks) => {
    const mine: number[] = [];
    for (let a = 0; a < 4; a++) {
      for (let b = a + 1; b < 4; b++) {
        const key = `${a}${b}`;
        if (!cells.has(key)) cells.set(key, { modelA: models[a]!, modelB: models[b]!, winsA: 0, winsB: 0, ties: 0 });
        const row = cells.get(key)!;
        const outcome = ranks[a]! < ranks[b]! ? 0 : 1;
        if (outcome === 0) row.winsA++;
        else row.winsB++;
        mine.push(3 * [...cells.keys()].indexOf(key) + outcome);
      }
    }
    return mine.sort((x, y) => x - y);
  });
  const rows = [...cells.values()];
  const units = groupIdentical(unitCells, packKey, (c) => Int32Array.from(c));

  it('gives the same ratings, redraws whole rankings, and refuses units that do not add up to the rows', () => {
    const byPairs = bradleyTerryLeaderboard(rows, { rounds: 300, seed: 5 });
    const byRankings = bradleyTerryLeaderboard(rows, { rounds: 300, seed: 5, units });
    expect(byRankings.ratings.map((r) => r.rating)).toEqual(byPairs.ratings.map((r) => r.rating));
    // A ranking's six pairs move together: the ratings' spread differs from redrawing pairs one by one.
    const width = (board: typeof byPairs) => board.ratings.reduce((sum, r) => sum + (r.ci ? r.ci[1] - r.ci[0] : 0), 0);
    expect(width(byRankings)).not.toBeCloseTo(width(byPairs), 0);
    expect(() => bradleyTerryLeaderboard(rows, { units: { patterns: units.patterns.slice(1), multiplicities: units.multiplicities.slice(1) } })).toThrow(/add up/);
  });
});
