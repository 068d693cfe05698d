// The grouped unit bootstrap: both resampling paths give the textbook interval, and the Cohen cost cap.
import { describe, expect, it } from 'vitest';
import { bootstrapGrouped, drawsPerRound, percentileInterval } from '../../../server/domain/stats/bootstrap';
import { pairwiseCohenKappa } from '../../../server/domain/stats/cohen';
import { createSeededRandom } from '../../../server/domain/stats/random';

describe('bootstrapGrouped', () => {
  // 400 units, 120 of them "1": the share's bootstrap interval is about 0.3 +- 1.96 * sqrt(0.3 * 0.7 / 400).
  const halfWidth = 1.96 * Math.sqrt((0.3 * 0.7) / 400);

  it('resamples grouped units by binomial splitting with the textbook interval', () => {
    const grouped = [120, 280];
    expect(drawsPerRound(grouped)).toBe(2);
    const estimate = bootstrapGrouped(grouped, (w) => w[0]! / (w[0]! + w[1]!), { rounds: 4000, seed: 3 });
    expect(estimate.value).toBe(0.3);
    expect(Math.abs(estimate.ci![0] - (0.3 - halfWidth))).toBeLessThan(0.006);
    expect(Math.abs(estimate.ci![1] - (0.3 + halfWidth))).toBeLessThan(0.006);
    expect(estimate).toMatchObject({ units: 400, rounds: 4000 });
  });

  it('resamples unique units one by one with the same interval', () => {
    const unique = new Array<number>(400).fill(1);
    expect(drawsPerRound(unique)).toBe(400);
    const share = (w: ArrayLike<number>) => {
      let ones = 0;
      for (let i = 0; i < 120; i++) ones += w[i]!;
      return ones / 400;
    };
    const estimate = bootstrapGrouped(unique, share, { rounds: 4000, seed: 3 });
    expect(Math.abs(estimate.ci![0] - (0.3 - halfWidth))).toBeLessThan(0.006);
    expect(Math.abs(estimate.ci![1] - (0.3 + halfWidth))).toBeLessThan(0.006);
  });

  it('leaves undefined rounds out and reports an undefined statistic without an interval', () => {
    let calls = 0;
    const sometimes = (w: ArrayLike<number>) => (calls++ % 2 === 0 ? w[0]! : null);
    expect(bootstrapGrouped([5, 5], sometimes, { rounds: 10 }).rounds).toBe(5);
    expect(bootstrapGrouped([5, 5], () => null)).toEqual({ value: null, ci: null, units: 10, rounds: 0 });
    expect(percentileInterval([], 0.95)).toBeNull();
  });
});

describe('pairwise Cohen cost cap', () => {
  it('cuts the rounds of a bootstrap whose units are nearly all unique to fit the cap, never below 20', () => {
    // 3 raters x 300 units x 6 categories: up to 216 label patterns, too many to group, so a round draws 300 units.
    const random = createSeededRandom(1);
    const labels = Array.from({ length: 300 }, (_, u) =>
      ['r1', 'r2', 'r3'].map((rater) => ({ unit: `u${u}`, rater, value: Math.floor(random() * 6) })),
    ).flat();
    expect(pairwiseCohenKappa(labels, { rounds: 500 }).mean.rounds).toBe(500);
    expect(pairwiseCohenKappa(labels, { rounds: 500, maxDraws: 300 * 100 }).mean.rounds).toBe(100);
    expect(pairwiseCohenKappa(labels, { rounds: 500, maxDraws: 1 }).mean.rounds).toBe(20);
  });
});

describe('pairwise Cohen bootstrap', () => {
  // Pinned intervals (as computed before the rounds were added up piece by piece): the same seed must keep drawing the
  // same units, by binomial splitting (3 raters, 8 label patterns) and unit by unit (8 raters, ~450 patterns of 600 units).
  const random = createSeededRandom(5);
  const agreeing = (unit: number, raters: string[]) => {
    const truth = random() < 0.5 ? 0 : 1;
    return raters.map((rater) => ({ unit: `u${unit}`, rater, value: random() < 0.8 ? truth : 1 - truth }));
  };
  const threeOfEight = () => {
    const raters = new Set<string>();
    while (raters.size < 3) raters.add(`r${Math.floor(random() * 8)}`);
    return [...raters];
  };
  const many = Array.from({ length: 600 }, (_, u) => agreeing(u, threeOfEight())).flat();
  const few = Array.from({ length: 600 }, (_, u) => agreeing(u, ['a', 'b', 'c'])).flat();

  it('keeps its interval when it draws unit by unit', () => {
    expect(pairwiseCohenKappa(many, { rounds: 200, minOverlap: 5 }).mean).toEqual({
      value: 0.3002368659400646,
      ci: [0.25066335162855286, 0.3504589202499342],
      units: 600,
      rounds: 200,
    });
  });

  it('keeps its interval when it splits grouped units', () => {
    expect(pairwiseCohenKappa(few, { rounds: 200 }).mean).toEqual({ value: 0.3635576180510066, ci: [0.3073366354050946, 0.4134776527484034], units: 600, rounds: 200 });
  });
});

