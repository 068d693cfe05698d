// Fleiss' kappa over units that each received exactly k ratings, with a unit bootstrap.
import { bootstrapGrouped, groupIdentical, type BootstrapOptions, type Estimate, type GroupedUnits } from './bootstrap';

export interface FleissKappa {
  kappa: number | null;
  /** Mean observed agreement over units (P-bar). */
  observed: number;
  /** Agreement expected by chance (P_e). */
  expected: number;
  /** Share of all ratings in each category (p_j). */
  categoryShares: number[];
  /** Ratings per unit. */
  k: number;
}

/**
 * Agreement within one unit (P_i): the share of rater pairs that agree, from its category counts.
 */
export function fleissUnitAgreement(counts: readonly number[]): number {
  const k = sum(counts);
  return (counts.reduce((acc, n) => acc + n * n, 0) - k) / (k * (k - 1));
}

/**
 * Fleiss' kappa from per-unit category counts (`unitCounts[i][j]` = ratings of unit i in category j).
 * Every unit must have the same number k >= 2 of ratings; select those units before calling.
 */
export function fleissKappa(unitCounts: readonly (readonly number[])[]): FleissKappa {
  return fleissForWeights(unitCounts.map((counts) => [counts]), unitCounts.map(() => 1));
}

/** Fleiss' kappa with a percentile-bootstrap interval over units. */
export function fleissKappaEstimate(unitCounts: readonly (readonly number[])[], options?: BootstrapOptions): Estimate {
  return fleissKappaEstimateOfPatterns(groupIdentical(unitCounts, (counts) => counts.join(','), (counts) => counts), options);
}

/** `fleissKappaEstimate` over units already grouped into identical category counts. */
export function fleissKappaEstimateOfPatterns({ patterns, multiplicities }: GroupedUnits<readonly number[]>, options?: BootstrapOptions): Estimate {
  return fleissKappaEstimateOfGroups({ patterns: patterns.map((counts) => [counts]), multiplicities }, options);
}

/**
 * The same where the resampling unit is a group of units (e.g. the derived pairs of one ranking task): a pattern
 * lists its member units' category counts, and a bootstrap redraws whole groups.
 */
export function fleissKappaEstimateOfGroups({ patterns, multiplicities }: GroupedUnits<readonly (readonly number[])[]>, options?: BootstrapOptions): Estimate {
  return bootstrapGrouped(multiplicities, (weights) => fleissForWeights(patterns, weights).kappa, options);
}

/** Fleiss' kappa of groups of units (each unit its category counts), group i weighing weights[i]. */
function fleissForWeights(groups: readonly (readonly (readonly number[])[])[], weights: ArrayLike<number>): FleissKappa {
  const first = groups.find((g) => g.length > 0)?.[0];
  const categories = Math.max(0, ...groups.flatMap((g) => g.map((counts) => counts.length)));
  const k = first === undefined ? 0 : sum(first);
  const totals = new Float64Array(categories);
  let units = 0;
  let agreement = 0;
  groups.forEach((group, i) => {
    const weight = weights[i]!;
    for (const counts of group) {
      if (sum(counts) !== k || k < 2) throw new RangeError(`Fleiss' kappa needs the same k >= 2 ratings for every unit; unit ${i} has ${sum(counts)}, unit 0 has ${k}`);
      units += weight;
      agreement += weight * fleissUnitAgreement(counts);
      counts.forEach((n, j) => (totals[j]! += weight * n));
    }
  });
  const categoryShares = Array.from(totals, (t) => (units === 0 ? 0 : t / (units * k)));
  const observed = units === 0 ? 0 : agreement / units;
  const expected = categoryShares.reduce((acc, p) => acc + p * p, 0);
  const kappa = units === 0 || expected === 1 ? null : (observed - expected) / (1 - expected);
  return { kappa, observed, expected, categoryShares, k };
}

function sum(values: readonly number[]): number {
  return values.reduce((acc, n) => acc + n, 0);
}
