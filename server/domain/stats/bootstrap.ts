// Seeded percentile bootstrap over units that are grouped into identical patterns with multiplicities.
import { sampleMultinomial } from './binomial';
import { createSeededRandom, type SeededRandom } from './random';

export interface BootstrapOptions {
  /** Resampling rounds (default 1000). */
  rounds?: number;
  /** PRNG seed: the same seed and data give the same interval (default 1). */
  seed?: number;
  /** Two-sided coverage of the interval (default 0.95). */
  level?: number;
}

export const DEFAULT_BOOTSTRAP = { rounds: 1000, seed: 1, level: 0.95 } as const;

/** A statistic with its percentile-bootstrap interval; `null` where the statistic is undefined. */
export interface Estimate {
  value: number | null;
  ci: [number, number] | null;
  /** Units (e.g. comparisons) that entered the statistic. */
  units: number;
  /** Bootstrap rounds behind the interval (rounds where the statistic was undefined are left out). */
  rounds: number;
}

/** Distinct unit patterns and how many units share each one. */
export interface GroupedUnits<T> {
  patterns: T[];
  multiplicities: number[];
}

/**
 * Groups units whose contribution to a statistic is identical (same `key`). Resampling N units with
 * replacement is the same as a multinomial draw of N over the patterns in proportion to their
 * multiplicities, which costs one binomial draw per pattern instead of N uniform draws.
 */
export function groupIdentical<U, T>(units: Iterable<U>, key: (unit: U) => string | number, pattern: (unit: U) => T): GroupedUnits<T> {
  const index = new Map<string | number, number>();
  const grouped: GroupedUnits<T> = { patterns: [], multiplicities: [] };
  for (const unit of units) {
    const k = key(unit);
    const at = index.get(k);
    if (at === undefined) {
      index.set(k, grouped.patterns.length);
      grouped.patterns.push(pattern(unit));
      grouped.multiplicities.push(1);
    } else {
      grouped.multiplicities[at]!++;
    }
  }
  return grouped;
}

/**
 * A grouping key for a list of non-negative integers below `radix`: one number while it fits in 53 bits (digits
 * the integers + 1, so lists of different lengths differ), else `packKey`. Equal lists get equal keys, others not.
 */
export function listKey(numbers: ArrayLike<number>, radix: number): number | string {
  if (numbers.length * Math.log2(radix + 1) >= 53) return packKey(Array.from(numbers));
  let key = 0;
  for (let i = 0; i < numbers.length; i++) key = key * (radix + 1) + numbers[i]! + 1;
  return key;
}

/** A compact grouping key for a list of non-negative integers below 2^32 (two UTF-16 units each, no formatting). */
export function packKey(numbers: readonly number[]): string {
  let key = '';
  for (const n of numbers) key += String.fromCharCode(n & 0xffff, n >>> 16);
  return key;
}

/** Linear-interpolation quantile of sorted values (type 7, the default of R and numpy). */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  return sorted[below]! + (sorted[above]! - sorted[below]!) * (position - below);
}

/** The central `level` percentile interval of some bootstrap replicates; null when there are none. */
export function percentileInterval(replicates: number[], level: number): [number, number] | null {
  if (replicates.length === 0) return null;
  const sorted = Float64Array.from(replicates).sort();
  const tail = (1 - level) / 2;
  return [quantileSorted(sorted, tail), quantileSorted(sorted, 1 - tail)];
}

/**
 * Percentile bootstrap of `statistic`, which reads the weight of each pattern (its multiplicity for
 * the point estimate, a resampled count in each round). Rounds where the statistic is undefined
 * (null) are left out of the interval.
 */
export function bootstrapGrouped(
  multiplicities: number[],
  statistic: (weights: ArrayLike<number>) => number | null,
  options: BootstrapOptions = {},
): Estimate {
  const units = multiplicities.reduce((sum, m) => sum + m, 0);
  const value = units === 0 ? null : statistic(multiplicities);
  if (value === null) return bootstrapRounds(value, units, () => null, options);
  const resample = createUnitResampler(multiplicities, units);
  const weights = new Float64Array(multiplicities.length);
  return bootstrapRounds(value, units, (random) => statistic(resample(random, weights)), options);
}

/**
 * The percentile bootstrap of `bootstrapGrouped` for a statistic whose value is known, `drawRound` drawing
 * one round from the seeded stream (e.g. with `createUnitResampler`) and returning the statistic on it.
 */
export function bootstrapRounds(value: number | null, units: number, drawRound: (random: SeededRandom) => number | null, options: BootstrapOptions = {}): Estimate {
  const { rounds, seed, level } = { ...DEFAULT_BOOTSTRAP, ...options };
  if (value === null) return { value, ci: null, units, rounds: 0 };
  const random = createSeededRandom(seed);
  const replicates: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const replicate = drawRound(random);
    if (replicate !== null && Number.isFinite(replicate)) replicates.push(replicate);
  }
  return { value, ci: percentileInterval(replicates, level), units, rounds: replicates.length };
}

/** Below this many units per pattern, drawing units one by one beats one binomial draw per pattern. */
const UNITS_PER_PATTERN_FOR_SPLITTING = 8;

function splitsByPattern(patterns: number, units: number): boolean {
  return units >= UNITS_PER_PATTERN_FOR_SPLITTING * patterns;
}

/** Random draws one bootstrap round costs (per pattern or per unit, whichever way `bootstrapGrouped` resamples). */
export function drawsPerRound(multiplicities: number[]): number {
  const units = multiplicities.reduce((sum, m) => sum + m, 0);
  return splitsByPattern(multiplicities.length, units) ? multiplicities.length : units;
}

/**
 * Draws pattern weights as a multinomial of all units over the patterns. Two exact ways to the same
 * distribution: binomial splitting (one draw per pattern) when patterns hold many units each, else
 * picking units uniformly (one cheap uniform per unit), which wins when nearly every unit is unique.
 */
export function createUnitResampler(multiplicities: number[], units: number): (random: SeededRandom, out: Float64Array) => Float64Array {
  if (splitsByPattern(multiplicities.length, units)) {
    return (random, out) => sampleMultinomial(random, multiplicities, out);
  }
  // Units numbered pattern by pattern: pattern p holds units patternEnd[p - 1]..patternEnd[p]). Each draw counts its
  // unit, and a pass in order adds up each pattern's units: looking each drawn unit's pattern up and counting it there
  // (two scattered accesses a draw, 20 million draws a request at 250,000 rankings) cost twice as much.
  const patternEnd = new Int32Array(multiplicities.length);
  multiplicities.reduce((end, m, pattern) => (patternEnd[pattern] = end + m), 0);
  const drawsOfUnit = new Int32Array(units);
  // The uniforms in batches (a call per uniform cost 3 times as much, more than the rest of a draw), each batch small
  // enough to stay in cache.
  const uniforms = new Float64Array(Math.min(units, UNIFORMS_PER_BATCH));
  return (random, out) => {
    drawsOfUnit.fill(0);
    for (let drawn = 0; drawn < units; drawn += uniforms.length) {
      const batch = Math.min(uniforms.length, units - drawn);
      random.fill(uniforms, batch);
      for (let i = 0; i < batch; i++) drawsOfUnit[Math.floor(uniforms[i]! * units)]!++;
    }
    for (let pattern = 0, unit = 0; pattern < patternEnd.length; pattern++) {
      let n = 0;
      for (; unit < patternEnd[pattern]!; unit++) n += drawsOfUnit[unit]!;
      out[pattern] = n;
    }
    return out;
  };
}

const UNIFORMS_PER_BATCH = 2048;
