// Cohen's kappa for two raters (plain, linear and quadratic weights) and its pairwise mean over many raters.
import { bootstrapGrouped, bootstrapRounds, createUnitResampler, DEFAULT_BOOTSTRAP, drawsPerRound, type BootstrapOptions, type Estimate } from './bootstrap';
import { grown, ListNumbering } from './list-numbering';
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
  /**
   * Resampling groups of consecutive units (e.g. the derived pairs of one ranking task): group g holds units
   * clusterStart[g]..clusterStart[g+1]) and a bootstrap redraws whole groups. Default: each unit alone.
   */
  clusterStart?: Int32Array;
}

/** `pairwiseCohenKappa` over packed units; raters are reported by their numbers (raterA < raterB). */
export function pairwiseCohenKappaOfPacked(units: PackedUnitLabels, options: Omit<PairwiseCohenOptions, 'categories'> = {}): { pairs: RaterPairKappa<number>[]; mean: Estimate } {
  const { minOverlap = 20, weighting = 'none' } = options;
  const { start, labels, raters, categories: size } = units;
  const unitCount = start.length - 1;
  // Rater pairs are numbered first * raters + second; each is counted once per unit holding both.
  const pairs = new PairNumbering(raters);
  for (let u = 0; u < unitCount; u++) {
    for (let i = start[u]!; i < start[u + 1]!; i++) {
      const first = Math.floor(labels[i]! / size) * raters;
      for (let j = i + 1; j < start[u + 1]!; j++) pairs.count(first + Math.floor(labels[j]! / size));
    }
  }
  const eligible = pairs.keep(minOverlap);
  const tableSize = size * size;
  const tables = unitTables(units, eligible, tableSize);
  const { multiplicities } = tables;
  const weights = agreementWeights(size, weighting);
  const stacked = new Float64Array(eligible.size * tableSize);
  const scratch = new Float64Array(2 * size);
  const meanKappa = () => {
    let weighted = 0;
    let total = 0;
    for (let i = 0; i < eligible.size; i++) {
      const overlap = tableTotal(stacked, i * tableSize, size);
      const kappa = kappaOfTable(stacked, i * tableSize, size, weights, scratch);
      if (kappa === null) continue;
      weighted += overlap * kappa;
      total += overlap;
    }
    return total === 0 ? null : weighted / total;
  };
  const drawn = Int32Array.from(multiplicities);
  tables.stack(drawn, stacked);
  const pairList = eligible.pairs.map((pair, i) => ({
    raterA: Math.floor(pair / raters),
    raterB: pair % raters,
    overlap: tableTotal(stacked, i * tableSize, size),
    kappa: kappaOfTable(stacked, i * tableSize, size, weights, scratch),
  }));
  const count = multiplicities.reduce((sum, m) => sum + m, 0);
  const value = count === 0 ? null : meanKappa();
  const rounds = Math.min(
    options.rounds ?? DEFAULT_BOOTSTRAP.rounds,
    Math.max(MIN_CAPPED_ROUNDS, Math.floor((options.maxDraws ?? Infinity) / Math.max(1, drawsPerRound(multiplicities)))),
  );
  if (value === null) return { pairs: pairList, mean: bootstrapRounds(value, count, () => null) };
  // Each round draws the patterns' weights as bootstrapGrouped would (the same stream, so the same interval).
  const resample = createUnitResampler(multiplicities, count);
  const resampled = new Float64Array(multiplicities.length);
  const mean = bootstrapRounds(
    value,
    count,
    (random) => {
      drawn.set(resample(random, resampled));
      tables.stack(drawn, stacked);
      return meanKappa();
    },
    { ...options, rounds },
  );
  return { pairs: pairList, mean };
}

/**
 * The units' cells of the stacked pair tables (pair table i at i * tableSize), grouped for the bootstrap. Each unit
 * holds one cell of a pair table per eligible rater pair among its raters; groups of units (each unit alone unless
 * clusterStart says otherwise) with the same cells form one pattern, resampled as one. A pattern's cells of one pair
 * (a piece: cells and counts) recur across patterns, so the tables are added up piece by piece, each piece once with
 * the summed weight of its patterns: at 83,334 ranking tasks of 18 cells (3 pairs of 6; 63,463 patterns, 16,647
 * pieces) a round adds the drawn patterns' weights to their pieces (190,000 additions at most) and adds 45,000 cells,
 * where pattern by pattern it added 350,000 cells scattered over the tables.
 */
function unitTables(units: PackedUnitLabels, eligible: PairNumbering, tableSize: number) {
  const { start, labels, raters, categories: size } = units;
  const clusterStart = units.clusterStart ?? null;
  const groupCount = clusterStart ? clusterStart.length - 1 : start.length - 1;
  const pieces = new ListNumbering();
  const patterns = new ListNumbering();
  const multiplicities: number[] = [];
  // Scratch of one group: its cells, the piece being read (at most a whole table) and the pattern's pieces.
  let cells: Int32Array = new Int32Array(64);
  let patternPieces = new Int32Array(64);
  const piece = new Int32Array(2 * tableSize);
  // A piece of one cell counted once (every piece of a lone unit) is found without hashing.
  const loneCellPiece = new Int32Array(eligible.size * tableSize).fill(-1);
  const pieceOf = (length: number) => {
    if (length !== 2 || piece[1] !== 1) return pieces.numberOf(piece, length);
    if (loneCellPiece[piece[0]!] === -1) loneCellPiece[piece[0]!] = pieces.numberOf(piece, length);
    return loneCellPiece[piece[0]!]!;
  };
  for (let g = 0; g < groupCount; g++) {
    let n = 0;
    // (No array destructuring in these loops: at 83,000 groups its allocations showed.)
    const firstUnit = clusterStart ? clusterStart[g]! : g;
    const endUnit = clusterStart ? clusterStart[g + 1]! : g + 1;
    for (let u = firstUnit; u < endUnit; u++) {
      for (let i = start[u]!; i < start[u + 1]!; i++) {
        const first = Math.floor(labels[i]! / size);
        const a = labels[i]! % size;
        for (let j = i + 1; j < start[u + 1]!; j++) {
          const at = eligible.indexOf(first * raters + Math.floor(labels[j]! / size));
          if (at === -1) continue;
          if (n === cells.length) {
            cells = grown(cells, 2 * n);
            patternPieces = new Int32Array(2 * n);
          }
          cells[n++] = at * tableSize + a * size + (labels[j]! % size);
        }
      }
    }
    if (n === 0) continue;
    // Sorted (a unit's cells already are: labels ascend), a pair's cells are consecutive: runs of equal cells make
    // a piece (cell, count, cell, count, ...) and a pattern is the list of its pieces' numbers.
    if (endUnit - firstUnit > 1) sortSmall(cells, n);
    let pieceCount = 0;
    let pieceEnd = 0;
    for (let at = 0; at < n; at++) {
      const cell = cells[at]!;
      if (pieceEnd > 0 && cell === piece[pieceEnd - 2]) {
        piece[pieceEnd - 1]!++;
        continue;
      }
      if (pieceEnd > 0 && Math.floor(cell / tableSize) !== Math.floor(piece[0]! / tableSize)) {
        patternPieces[pieceCount++] = pieceOf(pieceEnd);
        pieceEnd = 0;
      }
      piece[pieceEnd++] = cell;
      piece[pieceEnd++] = 1;
    }
    patternPieces[pieceCount++] = pieceOf(pieceEnd);
    const pattern = patterns.numberOf(patternPieces, pieceCount);
    if (pattern === multiplicities.length) multiplicities.push(1);
    else multiplicities[pattern]!++;
  }
  const [patternStart, patternList] = [patterns.starts, patterns.values];
  const [pieceStart, pieceRuns] = [pieces.starts, pieces.values];
  const pieceWeight = new Int32Array(pieces.size);
  return {
    multiplicities,
    /** Writes into `stacked` the pair tables of the patterns taken `drawn[p]` times each (sums of integers: exact in any order). */
    stack(drawn: Int32Array, stacked: Float64Array): void {
      // Each piece's weight, the sum of its patterns' draws: the patterns in order, each adding to its pieces (a third of
      // the patterns are not drawn in a round and are skipped; gathering each piece's patterns' draws read every one).
      pieceWeight.fill(0);
      for (let p = 0; p < patterns.size; p++) {
        const weight = drawn[p]!;
        if (weight !== 0) for (let at = patternStart[p]!; at < patternStart[p + 1]!; at++) pieceWeight[patternList[at]!]! += weight;
      }
      stacked.fill(0);
      for (let k = 0; k < pieces.size; k++) {
        const weight = pieceWeight[k]!;
        if (weight !== 0) for (let at = pieceStart[k]!; at < pieceStart[k + 1]!; at += 2) stacked[pieceRuns[at]!]! += weight * pieceRuns[at + 1]!;
      }
    },
  };
}

/** Sorts values[0..n) ascending: by insertion while they are few (a ranking task's 18 cells), else by TypedArray.sort. */
function sortSmall(values: Int32Array, n: number): void {
  if (n > 32) {
    values.subarray(0, n).sort();
    return;
  }
  for (let i = 1; i < n; i++) {
    const value = values[i]!;
    let at = i;
    for (; at > 0 && values[at - 1]! > value; at--) values[at] = values[at - 1]!;
    values[at] = value;
  }
}

/** Up to this many raters, pair counts and numbers live in flat arrays of raters^2 entries (16 MB at most). */
const FLAT_PAIR_RATERS = 2048;

/** Counts of rater pairs (numbered first * raters + second) and, once `keep` is called, the numbers of those kept. */
class PairNumbering {
  private readonly flatCounts: Int32Array | null;
  private readonly mapCounts = new Map<number, number>();
  private flatIndex: Int32Array | null = null;
  private readonly mapIndex = new Map<number, number>();
  pairs: number[] = [];

  constructor(raters: number) {
    this.flatCounts = raters <= FLAT_PAIR_RATERS ? new Int32Array(raters * raters) : null;
  }

  get size(): number {
    return this.pairs.length;
  }

  count(pair: number): void {
    if (this.flatCounts) this.flatCounts[pair]!++;
    else this.mapCounts.set(pair, (this.mapCounts.get(pair) ?? 0) + 1);
  }

  /** Keeps the pairs counted at least `minimum` times, in ascending order, numbered from 0. */
  keep(minimum: number): this {
    if (this.flatCounts) {
      this.flatIndex = new Int32Array(this.flatCounts.length).fill(-1);
      for (let pair = 0; pair < this.flatCounts.length; pair++) {
        if (this.flatCounts[pair]! >= minimum && this.flatCounts[pair]! > 0) this.flatIndex[pair] = this.pairs.push(pair) - 1;
      }
    } else {
      this.pairs = [...this.mapCounts.entries()].filter(([, n]) => n >= minimum).map(([pair]) => pair).sort((x, y) => x - y);
      this.pairs.forEach((pair, i) => this.mapIndex.set(pair, i));
    }
    return this;
  }

  /** The number of a kept pair, -1 for one not kept. */
  indexOf(pair: number): number {
    return this.flatIndex ? this.flatIndex[pair]! : (this.mapIndex.get(pair) ?? -1);
  }
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

/** Kappa of one table of `cells` (the `kappaFromCells` value) using `scratch` (2 * size numbers) instead of allocating. */
function kappaOfTable(cells: ArrayLike<number>, offset: number, size: number, weights: Float64Array, scratch: Float64Array): number | null {
  scratch.fill(0);
  let [total, observed] = [0, 0];
  for (let i = 0; i < size; i++) {
    for (let j = 0; j < size; j++) {
      const n = cells[offset + i * size + j]!;
      total += n;
      scratch[i]! += n;
      scratch[size + j]! += n;
      observed += weights[i * size + j]! * n;
    }
  }
  if (total === 0) return null;
  let expected = 0;
  for (let i = 0; i < size; i++) for (let j = 0; j < size; j++) expected += weights[i * size + j]! * scratch[i]! * scratch[size + j]!;
  observed /= total;
  expected /= total * total;
  return expected === 1 ? null : (observed - expected) / (1 - expected);
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
