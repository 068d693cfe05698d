// Cohen's kappa for two raters (plain, linear and quadratic weights) and its pairwise mean over many raters.
import { bootstrapGrouped, DEFAULT_BOOTSTRAP, drawsPerRound, groupIdentical, packKey, type BootstrapOptions, type Estimate } from './bootstrap';
import { sortedDistinct, type CodedValue } from './coded-values';

/** 'none' counts only exact agreement; 'linear' and 'quadratic' give partial credit by category distance. */
export type KappaWeighting = 'none' | 'linear' | 'quadratic';

export interface CohenKappa {
  kappa: number | null;
  /** Observed (weighted) agreement p_o. */
  observed: number;
  /** Chance (weighted) agreement p_e from the two raters' marginals. */
  expected: number;
}

/**
 * Cohen's kappa from a contingency table (`table[i][j]` = units rater 1 put in category i and rater 2 in
 * category j, categories in their natural order, which the weights use). Null when p_e = 1.
 */
export function cohenKappa(table: readonly (readonly number[])[], weighting: KappaWeighting = 'none'): CohenKappa {
  const size = table.length;
  return kappaFromCells(Float64Array.from(table.flat()), 0, size, agreementWeights(size, weighting));
}

/** The contingency table of two raters' labels for the same units, over `categories` (default: the sorted labels). */
export function contingencyTable(
  rater1: readonly CodedValue[],
  rater2: readonly CodedValue[],
  categories: readonly CodedValue[] = sortedDistinct([...rater1, ...rater2]),
): number[][] {
  if (rater1.length !== rater2.length) throw new RangeError('Both raters must label the same units');
  const indexOf = new Map(categories.map((c, i) => [c, i]));
  const table = categories.map(() => categories.map(() => 0));
  rater1.forEach((label, u) => table[categoryIndex(indexOf, label)]![categoryIndex(indexOf, rater2[u]!)]!++);
  return table;
}

/** Cohen's kappa of two raters' labels with a percentile-bootstrap interval over units. */
export function cohenKappaEstimate(
  rater1: readonly CodedValue[],
  rater2: readonly CodedValue[],
  weighting: KappaWeighting = 'none',
  options?: BootstrapOptions,
): Estimate {
  const categories = sortedDistinct([...rater1, ...rater2]);
  const size = categories.length;
  const table = contingencyTable(rater1, rater2, categories);
  const weights = agreementWeights(size, weighting);
  const cells = table.flat();
  return bootstrapGrouped(cells, (resampled) => kappaFromCells(resampled, 0, size, weights).kappa, options);
}

/** One rater's label within a unit. */
export interface UnitLabel {
  rater: string;
  value: CodedValue;
}

/** One rater's label for one unit. */
export interface LabelledUnit extends UnitLabel {
  unit: string;
}

export interface PairwiseCohenOptions extends BootstrapOptions {
  /** Rater pairs sharing fewer units are left out (default 20). */
  minOverlap?: number;
  weighting?: KappaWeighting;
  /** Ordered categories (default: the sorted distinct values); the order matters for weighted kappa. */
  categories?: readonly CodedValue[];
  /**
   * Cap on the bootstrap's random draws over all rounds (default: no cap). Units that share raters
   * and labels form one pattern, drawn once a round, so a small team costs little; with many raters
   * nearly every unit is unique and costs a draw, and the rounds are cut to fit the cap (at least 20;
   * `mean.rounds` tells how many ran).
   */
  maxDraws?: number;
}

const MIN_CAPPED_ROUNDS = 20;

export interface RaterPairKappa<Rater = string> {
  raterA: Rater;
  raterB: Rater;
  overlap: number;
  kappa: number | null;
}

export interface PairwiseCohenKappa {
  pairs: RaterPairKappa[];
  /** Overlap-weighted mean kappa over the pairs with a defined kappa, with a bootstrap over units. */
  mean: Estimate;
}

/** Groups items by unit; a rater with two items in one unit keeps the last. */
export function groupByUnit<T>(items: Iterable<T>, unitOf: (item: T) => string, raterOf: (item: T) => string): T[][] {
  const units = new Map<string, T[]>();
  for (const item of items) {
    const unit = units.get(unitOf(item));
    if (!unit) {
      units.set(unitOf(item), [item]);
      continue;
    }
    const previous = unit.findIndex((other) => raterOf(other) === raterOf(item));
    if (previous === -1) unit.push(item);
    else unit[previous] = item;
  }
  return [...units.values()];
}

/**
 * Cohen's kappa for every pair of raters who labelled at least `minOverlap` common units, and their
 * overlap-weighted mean. The interval resamples units, so pairs that share units move together.
 */
export function pairwiseCohenKappa(labels: Iterable<LabelledUnit>, options: PairwiseCohenOptions = {}): PairwiseCohenKappa {
  return pairwiseCohenKappaOfUnits(groupByUnit(labels, (l) => l.unit, (l) => l.rater), options);
}

/** `pairwiseCohenKappa` over labels already grouped by unit (one label per rater in a unit). */
export function pairwiseCohenKappaOfUnits(units: readonly (readonly UnitLabel[])[], options: PairwiseCohenOptions = {}): PairwiseCohenKappa {
  const categories = options.categories ?? sortedDistinct(units.flatMap((unit) => unit.map((l) => l.value)));
  const categoryOf = new Map(categories.map((c, i) => [c, i]));
  const raterSet = new Set<string>();
  for (const unit of units) for (const label of unit) raterSet.add(label.rater);
  const raters = [...raterSet].sort();
  const raterOf = new Map(raters.map((r, i) => [r, i]));
  const size = categories.length;
  const start = new Int32Array(units.length + 1);
  const labels = new Int32Array(units.reduce((sum, unit) => sum + unit.length, 0));
  units.forEach((unit, u) => {
    start[u + 1] = start[u]! + unit.length;
    unit.forEach((l, i) => (labels[start[u]! + i] = raterOf.get(l.rater)! * size + categoryIndex(categoryOf, l.value)));
    labels.subarray(start[u]!, start[u + 1]!).sort();
  });
  const result = pairwiseCohenKappaOfPacked({ start, labels, raters: raters.length, categories: size }, options);
  return { mean: result.mean, pairs: result.pairs.map((pair) => ({ ...pair, raterA: raters[pair.raterA]!, raterB: raters[pair.raterB]! })) };
}

/**
 * Units as integer labels: unit u holds `labels[start[u]..start[u+1])`, each `rater * categories + category`
 * (raters and categories numbered from 0; categories in their natural order), ascending, one per rater.
 */
export interface PackedUnitLabels {
  start: Int32Array;
  labels: Int32Array;
  raters: number;
  categories: number;
}

/** `pairwiseCohenKappa` over packed units; raters are reported by their numbers (raterA < raterB). */
export function pairwiseCohenKappaOfPacked(units: PackedUnitLabels, options: Omit<PairwiseCohenOptions, 'categories'> = {}): { pairs: RaterPairKappa<number>[]; mean: Estimate } {
  const { minOverlap = 20, weighting = 'none' } = options;
  const { start, labels, raters, categories: size } = units;
  const unitCount = start.length - 1;
  // Rater pairs are numbered first * raters + second.
  const overlaps = new Map<number, number>();
  for (let u = 0; u < unitCount; u++) {
    for (let i = start[u]!; i < start[u + 1]!; i++) {
      const first = Math.floor(labels[i]! / size) * raters;
      for (let j = i + 1; j < start[u + 1]!; j++) {
        const pair = first + Math.floor(labels[j]! / size);
        overlaps.set(pair, (overlaps.get(pair) ?? 0) + 1);
      }
    }
  }
  const eligible = [...overlaps.entries()].filter(([, n]) => n >= minOverlap).map(([pair]) => pair).sort((x, y) => x - y);
  const pairIndex = new Map(eligible.map((pair, i) => [pair, i]));

  // Each unit contributes one cell of the stacked pair tables per eligible rater pair it holds.
  const unitCells: number[][] = [];
  for (let u = 0; u < unitCount; u++) {
    const cells: number[] = [];
    for (let i = start[u]!; i < start[u + 1]!; i++) {
      const [first, a] = [Math.floor(labels[i]! / size), labels[i]! % size];
      for (let j = i + 1; j < start[u + 1]!; j++) {
        const at = pairIndex.get(first * raters + Math.floor(labels[j]! / size));
        if (at !== undefined) cells.push(at * size * size + a * size + (labels[j]! % size));
      }
    }
    if (cells.length > 0) unitCells.push(cells);
  }
  const grouped = groupIdentical(unitCells, packKey, (cells) => cells);
  const weights = agreementWeights(size, weighting);
  const stacked = new Float64Array(eligible.length * size * size);
  const kappasFor = (unitWeights: ArrayLike<number>) => {
    stacked.fill(0);
    grouped.patterns.forEach((cells, p) => {
      const w = unitWeights[p]!;
      if (w !== 0) for (const cell of cells) stacked[cell]! += w;
    });
    return eligible.map((_, i) => ({ overlap: tableTotal(stacked, i * size * size, size), kappa: kappaFromCells(stacked, i * size * size, size, weights).kappa }));
  };
  const meanKappa = (unitWeights: ArrayLike<number>) => {
    let weighted = 0;
    let total = 0;
    for (const { overlap, kappa } of kappasFor(unitWeights)) {
      if (kappa === null) continue;
      weighted += overlap * kappa;
      total += overlap;
    }
    return total === 0 ? null : weighted / total;
  };
  const pairs = kappasFor(grouped.multiplicities).map(({ overlap, kappa }, i) => ({
    raterA: Math.floor(eligible[i]! / raters),
    raterB: eligible[i]! % raters,
    overlap,
    kappa,
  }));
  const rounds = Math.min(
    options.rounds ?? DEFAULT_BOOTSTRAP.rounds,
    Math.max(MIN_CAPPED_ROUNDS, Math.floor((options.maxDraws ?? Infinity) / Math.max(1, drawsPerRound(grouped.multiplicities)))),
  );
  return { pairs, mean: bootstrapGrouped(grouped.multiplicities, meanKappa, { ...options, rounds }) };
}

/** Agreement weights 1 - distance, with distance |i-j|/(K-1) (linear) or its square (quadratic). */
function agreementWeights(size: number, weighting: KappaWeighting): Float64Array {
  const weights = new Float64Array(size * size);
  for (let i = 0; i < size; i++) {
    for (let j = 0; j < size; j++) {
      const distance = size > 1 ? Math.abs(i - j) / (size - 1) : 0;
      weights[i * size + j] = weighting === 'none' ? (i === j ? 1 : 0) : 1 - (weighting === 'linear' ? distance : distance * distance);
    }
  }
  return weights;
}

function tableTotal(cells: ArrayLike<number>, offset: number, size: number): number {
  let total = 0;
  for (let i = 0; i < size * size; i++) total += cells[offset + i]!;
  return total;
}

function kappaFromCells(cells: ArrayLike<number>, offset: number, size: number, weights: Float64Array): CohenKappa {
  const total = tableTotal(cells, offset, size);
  const rows = new Float64Array(size);
  const columns = new Float64Array(size);
  let observed = 0;
  for (let i = 0; i < size; i++) {
    for (let j = 0; j < size; j++) {
      const n = cells[offset + i * size + j]!;
      rows[i]! += n;
      columns[j]! += n;
      observed += weights[i * size + j]! * n;
    }
  }
  let expected = 0;
  for (let i = 0; i < size; i++) for (let j = 0; j < size; j++) expected += weights[i * size + j]! * rows[i]! * columns[j]!;
  if (total === 0) return { kappa: null, observed: 0, expected: 0 };
  observed /= total;
  expected /= total * total;
  return { kappa: expected === 1 ? null : (observed - expected) / (1 - expected), observed, expected };
}

function categoryIndex(indexOf: Map<CodedValue, number>, value: CodedValue): number {
  const index = indexOf.get(value);
  if (index === undefined) throw new RangeError(`Label ${JSON.stringify(value)} is not among the categories`);
  return index;
}
