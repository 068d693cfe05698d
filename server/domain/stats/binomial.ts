// Exact binomial and multinomial sampling, so a bootstrap over a million judgments costs one draw per count cell, not per judgment.
import type { Uniform } from './random';

const LN_FACTORIAL_TABLE_SIZE = 256;
const lnFactorialTable = (() => {
  const table = new Float64Array(LN_FACTORIAL_TABLE_SIZE);
  for (let k = 1; k < LN_FACTORIAL_TABLE_SIZE; k++) table[k] = table[k - 1]! + Math.log(k);
  return table;
})();

/** ln(k!) for a non-negative integer k: a table below 256, Stirling's series above (error < 1e-15 there). */
export function lnFactorial(k: number): number {
  if (k < LN_FACTORIAL_TABLE_SIZE) return lnFactorialTable[k]!;
  const x = k + 1;
  const inv = 1 / x;
  const inv2 = inv * inv;
  return (
    (x - 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI) +
    inv * (1 / 12 - inv2 * (1 / 360 - inv2 * (1 / 1260 - inv2 / 1680)))
  );
}

/**
 * One draw from Binomial(n, p), exact up to floating point.
 * Hörmann's BTRS (transformed rejection with squeeze, 1993) when n*min(p, 1-p) >= 10, otherwise
 * inversion by sequential search from k = 0, whose cost is about n*p + 1 steps of one multiplication
 * each (so a small cell of a large remainder stays cheap, unlike a sum of n Bernoulli trials).
 */
export function sampleBinomial(random: Uniform, n: number, p: number): number {
  if (n <= 0 || p <= 0) return 0;
  if (p >= 1) return n;
  if (p > 0.5) return n - sampleBinomial(random, n, 1 - p);
  return n * p < 10 ? binomialByInversion(random, n, p) : binomialBtrs(random, n, p);
}

/**
 * Walks the probabilities P(0), P(1), ... (each from the last by one ratio) until they pass a uniform.
 * With n*p < 10, P(0) = (1-p)^n > e^-11, far from underflow. Should rounding leave the uniform above
 * the whole sum, the draw is repeated: that conditions on u falling below the computed total, which is
 * the distribution as computed.
 */
function binomialByInversion(random: Uniform, n: number, p: number): number {
  const first = Math.exp(n * Math.log1p(-p));
  const odds = p / (1 - p);
  for (;;) {
    let u = random();
    let probability = first;
    let k = 0;
    while (u >= probability && k < n) {
      u -= probability;
      probability *= (odds * (n - k)) / (k + 1);
      k++;
    }
    if (u < probability) return k;
  }
}

function binomialBtrs(random: Uniform, n: number, p: number): number {
  const q = 1 - p;
  const spq = Math.sqrt(n * p * q);
  const b = 1.15 + 2.53 * spq;
  const a = -0.0873 + 0.0248 * b + 0.01 * p;
  const c = n * p + 0.5;
  const vr = 0.92 - 4.2 / b;
  const alpha = (2.83 + 5.1 / b) * spq;
  const m = Math.floor((n + 1) * p);
  // Needed only past the squeeze (about one draw in seven), so computed then.
  let logRatio = NaN;
  let logModeTerm = NaN;
  for (;;) {
    const u = random() - 0.5;
    const v = random();
    const us = 0.5 - Math.abs(u);
    const k = Math.floor(((2 * a) / us + b) * u + c);
    if (k < 0 || k > n) continue;
    if (us >= 0.07 && v <= vr) return k;
    const logV = Math.log((v * alpha) / (a / (us * us) + b));
    if (Number.isNaN(logRatio)) {
      logRatio = Math.log(p / q);
      logModeTerm = lnFactorial(m) + lnFactorial(n - m);
    }
    if (logV <= logModeTerm - lnFactorial(k) - lnFactorial(n - k) + (k - m) * logRatio) return k;
  }
}

/**
 * Resamples `counts` as a multinomial draw of the same total with probabilities proportional to the
 * counts (a bootstrap over the individuals the counts stand for), by sequential conditional binomials.
 * Writes into `out` (same length) and returns it.
 */
export function sampleMultinomial(random: Uniform, counts: ArrayLike<number>, out: Float64Array): Float64Array {
  let remainingMass = 0;
  for (let i = 0; i < counts.length; i++) remainingMass += counts[i]!;
  let remainingDraws = remainingMass;
  for (let i = 0; i < counts.length; i++) {
    const count = counts[i]!;
    if (count === 0 || remainingDraws === 0) {
      out[i] = 0;
      continue;
    }
    const draw = count >= remainingMass ? remainingDraws : sampleBinomial(random, remainingDraws, count / remainingMass);
    out[i] = draw;
    remainingDraws -= draw;
    remainingMass -= count;
  }
  return out;
}

/**
 * Exact two-sided p-value of `successes` in `n` trials against a success probability of 1/2: twice the
 * smaller tail, at most 1 (the distribution is symmetric, so this equals the sum over every outcome no
 * more likely than the one seen, as R's binom.test computes it). The tail is summed from its inner end
 * outwards, term from term by one ratio, and stops once the terms no longer change the sum.
 */
export function binomialTestHalf(successes: number, n: number): number {
  if (!Number.isInteger(successes) || !Number.isInteger(n) || successes < 0 || successes > n) {
    throw new RangeError(`binomialTestHalf needs 0 <= successes <= n, integers; got ${successes} of ${n}`);
  }
  const low = Math.min(successes, n - successes);
  // The middle outcome (or the two middle ones): each tail holds half or more.
  if (2 * low + 1 >= n) return 1;
  let term = Math.exp(lnFactorial(n) - lnFactorial(low) - lnFactorial(n - low) - n * Math.LN2);
  let tail = 0;
  for (let k = low; k >= 0 && term > tail * 1e-17; k--) {
    tail += term;
    term *= k / (n - k + 1);
  }
  return Math.min(1, 2 * tail);
}
