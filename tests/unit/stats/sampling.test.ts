// The seeded PRNG and the exact binomial and multinomial samplers behind every bootstrap.
import { describe, expect, it } from 'vitest';
import { binomialTestHalf, lnFactorial, sampleBinomial, sampleMultinomial } from '../../../server/domain/stats/binomial';
import { createSeededRandom } from '../../../server/domain/stats/random';

describe('createSeededRandom', () => {
  it('repeats its sequence for a seed, differs between seeds, and stays in [0, 1)', () => {
    const draw = (seed: number) => Array.from({ length: 1000 }, createSeededRandom(seed));
    expect(draw(0)).toEqual(draw(0));
    expect(draw(0)).not.toEqual(draw(1));
    const values = draw(123);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
  });

  it('fills arrays with the numbers as many calls would give, and the calls go on after them', () => {
    const expected = Array.from({ length: 3010 }, createSeededRandom(9));
    const random = createSeededRandom(9);
    const got = [random(), ...createBatches(random, [4, 3000]), random(), random(), random(), random(), random()];
    expect(got).toEqual(expected);
  });

  it('is uniform enough: mean, variance and a 10-bin chi-square over 100,000 draws', () => {
    const random = createSeededRandom(2024);
    const n = 100_000;
    const bins = new Array<number>(10).fill(0);
    let sum = 0;
    let sumSquares = 0;
    for (let i = 0; i < n; i++) {
      const u = random();
      sum += u;
      sumSquares += u * u;
      bins[Math.floor(u * 10)]!++;
    }
    expect(Math.abs(sum / n - 0.5)).toBeLessThan(0.005);
    expect(Math.abs(sumSquares / n - (sum / n) ** 2 - 1 / 12)).toBeLessThan(0.002);
    const chiSquare = bins.reduce((acc, observed) => acc + (observed - n / 10) ** 2 / (n / 10), 0);
    expect(chiSquare).toBeLessThan(27.9); // 99.9th percentile of chi-square with 9 degrees of freedom
  });
});

/** Numbers of `random` by `fill`, in batches of the given sizes (each written into a larger array, which keeps the rest). */
function createBatches(random: ReturnType<typeof createSeededRandom>, sizes: number[]): number[] {
  return sizes.flatMap((size) => {
    const out = new Float64Array(size + 5).fill(-1);
    random.fill(out, size);
    expect(Array.from(out.subarray(size))).toEqual([-1, -1, -1, -1, -1]);
    return Array.from(out.subarray(0, size));
  });
}

describe('lnFactorial', () => {
  it('matches the exact sum of logarithms on both sides of the table edge', () => {
    let exact = 0;
    for (let k = 1; k <= 5000; k++) {
      exact += Math.log(k);
      if (k % 97 === 0 || (k >= 250 && k <= 260)) expect(Math.abs(lnFactorial(k) - exact) / exact).toBeLessThan(1e-13);
    }
  });
});

function binomialPmf(n: number, p: number, k: number): number {
  return Math.exp(lnFactorial(n) - lnFactorial(k) - lnFactorial(n - k) + k * Math.log(p) + (n - k) * Math.log1p(-p));
}

describe('sampleBinomial', () => {
  // Cases for both methods: inversion (n*min(p,1-p) < 10), BTRS (>= 10), and p > 1/2 by symmetry.
  const cases = [
    { n: 20, p: 0.3 },
    { n: 200_000, p: 0.00002 },
    { n: 1000, p: 0.3 },
    { n: 60, p: 0.5 },
    { n: 500, p: 0.93 },
    { n: 1_000_000, p: 0.0004 },
  ];
  for (const { n, p } of cases) {
    it(`draws Binomial(${n}, ${p}) with the exact distribution (chi-square over 100,000 draws)`, () => {
      const random = createSeededRandom(n);
      const draws = 100_000;
      const histogram = new Map<number, number>();
      let valid = true;
      for (let i = 0; i < draws; i++) {
        const k = sampleBinomial(random, n, p);
        valid &&= Number.isInteger(k) && k >= 0 && k <= n;
        histogram.set(k, (histogram.get(k) ?? 0) + 1);
      }
      expect(valid).toBe(true);
      // Goodness of fit over bins of consecutive k holding at least 20 expected draws; the tails form the end bins.
      const sd = Math.sqrt(n * p * (1 - p));
      const [low, high] = [Math.max(0, Math.floor(n * p - 10 * sd - 5)), Math.min(n, Math.ceil(n * p + 10 * sd + 5))];
      let chiSquare = 0;
      let bins = 0;
      let [observed, expected] = [0, 0];
      for (let k = low; k <= high; k++) {
        observed += histogram.get(k) ?? 0;
        expected += draws * binomialPmf(n, p, k);
        if (expected >= 20 || k === high) {
          chiSquare += (observed - expected) ** 2 / expected;
          bins++;
          [observed, expected] = [0, 0];
        }
      }
      const df = bins - 1;
      expect(chiSquare).toBeLessThan(df + 5 * Math.sqrt(2 * df));
    });
  }

  it('handles the degenerate cases', () => {
    const random = createSeededRandom(1);
    expect(sampleBinomial(random, 0, 0.5)).toBe(0);
    expect(sampleBinomial(random, 10, 0)).toBe(0);
    expect(sampleBinomial(random, 10, 1)).toBe(10);
  });
});

describe('sampleMultinomial', () => {
  it('keeps the total, leaves empty cells empty and has the multinomial means and variances', () => {
    const counts = [500, 0, 120, 3, 377];
    const total = 1000;
    const random = createSeededRandom(77);
    const out = new Float64Array(counts.length);
    const rounds = 20_000;
    const sums = new Float64Array(counts.length);
    const squares = new Float64Array(counts.length);
    for (let r = 0; r < rounds; r++) {
      sampleMultinomial(random, counts, out);
      expect(out.reduce((a, b) => a + b, 0)).toBe(total);
      expect(out[1]).toBe(0);
      out.forEach((x, i) => {
        sums[i]! += x;
        squares[i]! += x * x;
      });
    }
    counts.forEach((count, i) => {
      const p = count / total;
      const mean = sums[i]! / rounds;
      const variance = squares[i]! / rounds - mean * mean;
      expect(Math.abs(mean - count)).toBeLessThan(5 * Math.sqrt((total * p * (1 - p)) / rounds) + 1e-9);
      if (count > 0) expect(Math.abs(variance / (total * p * (1 - p)) - 1)).toBeLessThan(0.05);
    });
  });
});

describe('binomialTestHalf', () => {
  /** The exact p-value in integers: twice the smaller tail's binomial coefficients over 2^n, capped at 1. */
  function exactPValue(successes: number, n: number): number {
    const low = Math.min(successes, n - successes);
    let [coefficient, tail] = [1n, 0n];
    for (let k = 0; k <= low; k++) {
      tail += coefficient;
      coefficient = (coefficient * BigInt(n - k)) / BigInt(k + 1);
    }
    const p = Number((2n * tail * 10n ** 30n) / 2n ** BigInt(n)) / 1e30;
    return Math.min(1, p);
  }

  it('matches R binom.test on the textbook cases', () => {
    expect(binomialTestHalf(15, 20)).toBeCloseTo(0.04138947, 8);
    expect(binomialTestHalf(0, 30)).toBeCloseTo(2 * 0.5 ** 30, 15);
    expect(binomialTestHalf(10, 20)).toBe(1);
    expect(binomialTestHalf(10, 21)).toBe(1);
    expect(binomialTestHalf(0, 1)).toBe(1);
  });

  it('equals the exact sum in integer arithmetic (to 1e-10 relative) up to 2,000 trials', () => {
    for (const [successes, n] of [[3, 17], [40, 100], [61, 100], [480, 1000], [530, 1000], [900, 2000], [1000, 2000], [1, 2000]] as const) {
      const exact = exactPValue(successes, n);
      expect(Math.abs(binomialTestHalf(successes, n) - exact)).toBeLessThanOrEqual(1e-10 * exact);
    }
  });

  it('stays cheap and finite for a rater with a million judgments', () => {
    expect(binomialTestHalf(500_000, 1_000_000)).toBeCloseTo(1, 12);
    expect(binomialTestHalf(498_000, 1_000_000)).toBeGreaterThan(0);
    expect(binomialTestHalf(400_000, 1_000_000)).toBe(0);
  });

  it('rejects counts that are not 0 <= successes <= n', () => {
    expect(() => binomialTestHalf(5, 4)).toThrow(RangeError);
    expect(() => binomialTestHalf(-1, 4)).toThrow(RangeError);
    expect(() => binomialTestHalf(1.5, 4)).toThrow(RangeError);
  });
});
