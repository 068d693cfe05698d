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
  const summary = summariseGroups(patterns);
  return bootstrapGrouped(multiplicities, (weights) => fleissOfSummary(summary, weights).kappa, options);
}

/** Per group of units: how many, the sum of their agreements P_i and of their category counts; summed once, not per round. */
interface GroupSummary {
  k: number;
  categories: number;
  units: Float64Array;
  agreement: Float64Array;
  /** Group g's count of category j at g * categories + j. */
  totals: Float64Array;
}

function summariseGroups(groups: readonly (readonly (readonly number[])[])[]): GroupSummary {
  let [k, categories] = [0, 0];
  for (const group of groups) for (const counts of group) [k, categories] = [k || sum(counts), Math.max(categories, counts.length)];
  const summary = { k, categories, units: new Float64Array(groups.length), agreement: new Float64Array(groups.length), totals: new Float64Array(groups.length * categories) };
  groups.forEach((group, g) => {
    for (const counts of group) {
      if (sum(counts) !== k || k < 2) throw new RangeError(`Fleiss' kappa needs the same k >= 2 ratings for every unit; a unit of group ${g} has ${sum(counts)}, the first has ${k}`);
      summary.units[g]!++;
      summary.agreement[g]! += fleissUnitAgreement(counts);
      counts.forEach((n, j) => (summary.totals[g * categories + j]! += n));
    }
  });
  return summary;
}

/** Fleiss' kappa of groups of units (each unit its category counts), group i weighing weights[i]. */
function fleissForWeights(groups: readonly (readonly (readonly number[])[])[], weights: ArrayLike<number>): FleissKappa {
  return fleissOfSummary(summariseGroups(groups), weights);
}

function fleissOfSummary({ k, categories, units: groupUnits, agreement: groupAgreement, totals: groupTotals }: GroupSummary, weights: ArrayLike<number>): FleissKappa {
  const totals = new Float64Array(categories);
  let units = 0;
  let agreement = 0;
  for (let g = 0; g < groupUnits.length; g++) {
    const weight = weights[g]!;
    if (weight === 0) continue;
    units += weight * groupUnits[g]!;
    agreement += weight * groupAgreement[g]!;
    for (let j = 0; j < categories; j++) totals[j]! += weight * groupTotals[g * categories + j]!;
  }
  const categoryShares = Array.from(totals, (t) => (units === 0 ? 0 : t / (units * k)));
  const observed = units === 0 ? 0 : agreement / units;
  const expected = categoryShares.reduce((acc, p) => acc + p * p, 0);
  const kappa = units === 0 || expected === 1 ? null : (observed - expected) / (1 - expected);
  return { kappa, observed, expected, categoryShares, k };
}

function sum(values: readonly number[]): number {
  return values.reduce((acc, n) => acc + n, 0);
}
