// The agreement panel of the quality dashboard in one call: alpha, Fleiss' and pairwise Cohen's kappa with bootstrap intervals.
//
// Input, one row per judgment (gold items and excluded judgments left out by the caller):
//   comparisonId    the comparison judged; the unit that agreement is measured over and the bootstrap resamples
//   raterId         who judged it (a rater judges a comparison at most once; a repeated pair keeps the last row)
//   choice          'A' | 'B' | 'TIE' | 'BOTH_BAD', canonical (the stored order of the pair, not the screen sides)
//   signedStrength  the strength on a signed scale: +s for A with strength s, -s for B, 0 for TIE, null when
//                   the scale has no strength or the choice is BOTH_BAD (`signedStrength()` below builds it)
// At scale the same rows come as typed columns with integer comparisons and raters (AgreementColumns):
// units are grouped by integer keys into the few value patterns the bootstraps resample.
import { packKey, type BootstrapOptions, type Estimate } from './bootstrap';
import { pairwiseCohenKappaOfPacked, type RaterPairKappa } from './cohen';
import { sortedDistinct } from './coded-values';
import { fleissKappaEstimateOfGroups } from './fleiss';
import { krippendorffAlphaEstimate, reliabilityFromPatternGroups } from './krippendorff';
import { CHOICES, type Choice } from './rater-quality';

export interface AgreementJudgment {
  comparisonId: string;
  raterId: string;
  choice: Choice;
  signedStrength: number | null;
}

/** Judgment i of typed columns: comparisons and raters numbered from 0, choice as its index in CHOICES. */
export interface AgreementColumns {
  comparison: Int32Array;
  rater: Int32Array;
  choice: Uint8Array;
  /** NaN where the judgment has none. */
  signedStrength: Float64Array;
  /**
   * The resampling group of each judgment (e.g. its ranking task, whose derived pairs are not independent): every
   * bootstrap redraws whole groups. A group's comparisons must be numbered consecutively. Default: each comparison alone.
   */
  cluster?: Int32Array;
}

export interface AgreementSummaryOptions extends BootstrapOptions {
  /** Judgments per comparison for Fleiss' kappa (the campaign's k); default: the most common count of 2 or more. Below 2 there is none. */
  k?: number;
  /** Rater pairs sharing fewer comparisons are left out of the pairwise Cohen mean (default 20). */
  minOverlap?: number;
  /**
   * Cap on the random draws of the pairwise Cohen bootstrap (default 20,000,000, a few tenths of a
   * second): with many raters nearly every comparison is its own pattern and costs a draw a round, so
   * its rounds are cut to fit (`cohenPairwise.rounds` tells how many ran). The other statistics group
   * comparisons into a few value patterns and always run every round.
   */
  cohenMaxDraws?: number;
}

const DEFAULT_COHEN_MAX_DRAWS = 20_000_000;

export interface AgreementSummary<Rater = string> {
  judgments: number;
  comparisons: number;
  /** Krippendorff's alpha on the choice as a nominal label. */
  alphaNominal: Estimate;
  /** Krippendorff's alpha on the signed strength, ordinal and interval; units = comparisons with 2+ strengths. */
  alphaOrdinal: Estimate;
  alphaInterval: Estimate;
  /** Fleiss' kappa on the choice over the comparisons with exactly k judgments (k null when none has 2+). */
  fleissKappa: Estimate & { k: number | null };
  /** Overlap-weighted mean of Cohen's kappa on the choice over rater pairs, and the pairs themselves. */
  cohenPairwise: Estimate & { pairs: RaterPairKappa<Rater>[] };
  /**
   * The same with quadratic weights on the signed strength (an ordered scale: -3 < ... < 0 < ... < 3),
   * over the judgments that have one; null when none has a strength.
   */
  cohenWeightedPairwise: (Estimate & { pairs: RaterPairKappa<Rater>[] }) | null;
}

/** The signed strength of a judgment: +strength for A, -strength for B, 0 for a tie, null otherwise. */
export function signedStrength(choice: Choice, strength: number | null): number | null {
  if (choice === 'TIE') return 0;
  if (choice === 'BOTH_BAD' || strength === null) return null;
  return choice === 'A' ? strength : -strength;
}

/** Every agreement statistic of the dashboard, each with a seeded bootstrap interval over comparisons. */
export function computeAgreementSummary(judgments: readonly AgreementJudgment[], options: AgreementSummaryOptions = {}): AgreementSummary {
  const comparisons = new Map<string, number>();
  for (const j of judgments) if (!comparisons.has(j.comparisonId)) comparisons.set(j.comparisonId, comparisons.size);
  // Raters numbered in name order, so that each Cohen pair is reported as before: names in order.
  const raters = sortedDistinct(judgments.map((j) => j.raterId)) as string[];
  const raterOf = new Map(raters.map((r, i) => [r, i]));
  const summary = computeAgreementSummaryOfColumns(
    {
      comparison: Int32Array.from(judgments, (j) => comparisons.get(j.comparisonId)!),
      rater: Int32Array.from(judgments, (j) => raterOf.get(j.raterId)!),
      choice: Uint8Array.from(judgments, (j) => CHOICES.indexOf(j.choice)),
      signedStrength: Float64Array.from(judgments, (j) => j.signedStrength ?? NaN),
    },
    options,
  );
  const named = (pairs: RaterPairKappa<number>[]) => pairs.map((p) => ({ ...p, raterA: raters[p.raterA]!, raterB: raters[p.raterB]! }));
  const weighted = summary.cohenWeightedPairwise;
  return {
    ...summary,
    cohenPairwise: { ...summary.cohenPairwise, pairs: named(summary.cohenPairwise.pairs) },
    cohenWeightedPairwise: weighted && { ...weighted, pairs: named(weighted.pairs) },
  };
}

/** `computeAgreementSummary` over typed columns; Cohen pairs name raters by their numbers. */
export function computeAgreementSummaryOfColumns(columns: AgreementColumns, options: AgreementSummaryOptions = {}): AgreementSummary<number> {
  const units = unitsOfColumns(columns);
  return { ...agreementFiguresOfUnits(units, options), ...agreementCohenOfUnits(units, options) };
}

/** The pairwise Cohen kappas of the summary: the costliest part (its bootstrap). */
type AgreementCohen = Pick<AgreementSummary<number>, 'cohenPairwise' | 'cohenWeightedPairwise'>;

/** Every figure of the summary but the pairwise Cohen kappas. */
type AgreementFigures = Omit<AgreementSummary<number>, 'cohenPairwise' | 'cohenWeightedPairwise'>;

/** The judgments grouped by comparison, the resampling groups, and the distinct signed strengths, ascending. */
interface AgreementUnits {
  columns: AgreementColumns;
  start: Int32Array;
  members: Int32Array;
  clusterStart: Int32Array | null;
  strengthValues: number[];
  strengthIndex: Map<number, number>;
}

function unitsOfColumns(columns: AgreementColumns): AgreementUnits {
  const { start, members } = groupByComparison(columns);
  const clusterStart = columns.cluster ? clustersOfUnits(start, members, columns.cluster) : null;
  // Strength values: a unit's signed strengths as ascending indices into `strengthValues`.
  const distinctStrengths = new Set<number>();
  for (let i = 0; i < columns.signedStrength.length; i++) if (!Number.isNaN(columns.signedStrength[i])) distinctStrengths.add(columns.signedStrength[i]!);
  const strengthValues = [...distinctStrengths].sort((x, y) => x - y);
  return { columns, start, members, clusterStart, strengthValues, strengthIndex: new Map(strengthValues.map((v, i) => [v, i])) };
}

function agreementCohenOfUnits({ columns, start, members, clusterStart, strengthValues, strengthIndex }: AgreementUnits, options: AgreementSummaryOptions): AgreementCohen {
  const { choice, rater } = columns;
  const unitCount = start.length - 1;
  const withStrengths = strengthValues.length > 0;
  // Per unit: its judgments as rater * categories + choice, ascending; and its strengths as rater * strengths + index,
  // ascending, for the weighted pairs.
  const labels = new Int32Array(members.length);
  const strengthStart = new Int32Array(unitCount + 1);
  const strengthLabels = new Int32Array(withStrengths ? members.length : 0);
  let strengthEnd = 0;
  for (let u = 0; u < unitCount; u++) {
    strengthStart[u] = strengthEnd;
    for (let m = start[u]!; m < start[u + 1]!; m++) {
      const i = members[m]!;
      insertSorted(labels, start[u]!, m, rater[i]! * CHOICES.length + choice[i]!);
      if (!withStrengths) continue;
      const s = columns.signedStrength[i]!;
      if (!Number.isNaN(s)) insertSorted(strengthLabels, strengthStart[u]!, strengthEnd++, rater[i]! * strengthValues.length + strengthIndex.get(s)!);
    }
  }
  strengthStart[unitCount] = strengthEnd;
  const cohenOptions = { ...options, maxDraws: options.cohenMaxDraws ?? DEFAULT_COHEN_MAX_DRAWS };
  const raterCount = countOf(rater);
  const clusters = clusterStart ? { clusterStart } : {};
  const cohen = pairwiseCohenKappaOfPacked({ start, labels, raters: raterCount, categories: CHOICES.length, ...clusters }, cohenOptions);
  const weighted = withStrengths
    ? pairwiseCohenKappaOfPacked(
        { start: strengthStart, labels: strengthLabels.subarray(0, strengthEnd), raters: raterCount, categories: strengthValues.length, ...clusters },
        { ...cohenOptions, weighting: 'quadratic' },
      )
    : null;
  return {
    cohenPairwise: { ...cohen.mean, pairs: cohen.pairs },
    cohenWeightedPairwise: weighted && { ...weighted.mean, pairs: weighted.pairs },
  };
}

function agreementFiguresOfUnits({ columns, start, members, clusterStart, strengthValues, strengthIndex }: AgreementUnits, options: AgreementSummaryOptions): AgreementFigures {
  const { choice } = columns;
  const unitCount = start.length - 1;
  let largest = 0;
  for (let u = 0; u < unitCount; u++) largest = Math.max(largest, start[u + 1]! - start[u]!);
  const unitsOfSize = new Int32Array(largest + 1);
  let comparisons = 0;
  const radix = largest + 1;
  const weight = CHOICES.map((_, c) => radix ** c);
  const withStrengths = strengthValues.length > 0;
  // Per unit: its category counts as one integer (radix largest + 1, exact below 8,192 judgments a comparison), -1
  // for a unit without judgments; and its strength indices, ascending.
  const unitKey = new Float64Array(unitCount).fill(-1);
  const unitStrengths = new Array<number[]>(unitCount).fill(NO_STRENGTHS);
  for (let u = 0; u < unitCount; u++) {
    const from = start[u]!;
    const to = start[u + 1]!;
    if (from === to) continue;
    comparisons++;
    unitsOfSize[to - from]!++;
    let key = 0;
    const strengths: number[] = withStrengths ? [] : NO_STRENGTHS;
    for (let m = from; m < to; m++) {
      const i = members[m]!;
      key += weight[choice[i]!]!;
      if (withStrengths) {
        const s = columns.signedStrength[i]!;
        if (!Number.isNaN(s)) strengths.push(strengthIndex.get(s)!);
      }
    }
    unitKey[u] = key;
    unitStrengths[u] = withStrengths ? strengths.sort((x, y) => x - y) : NO_STRENGTHS;
  }
  const unitSizes = new Map<number, number>();
  unitsOfSize.forEach((n, size) => n > 0 && unitSizes.set(size, n));
  const { choiceGroups, strengthGroups } = patternsOfGroups(unitKey, unitStrengths, clusterStart, radix, weight, strengthValues.length);

  // Nominal alpha reads choices as labels, in the value order of the literature (by code point).
  const nominalValues = sortedDistinct(CHOICES);
  const nominalIndex = CHOICES.map((c) => nominalValues.indexOf(c));
  const nominal = reliabilityFromPatternGroups(
    nominalValues,
    choiceGroups.map(({ counts, units: n }) => ({ members: counts.map((unit) => unit.flatMap((count, c) => new Array<number>(count).fill(nominalIndex[c]!))), units: n })),
  );
  const strengthData = reliabilityFromPatternGroups(strengthValues, strengthGroups);
  const k = options.k ?? mostCommonSize(unitSizes);
  const fleissGroups = choiceGroups
    .map(({ counts, units: n }) => ({ counts: counts.filter((unit) => k !== null && k >= 2 && unit.reduce((a, b) => a + b, 0) === k), units: n }))
    .filter((g) => g.counts.length > 0);
  const fleiss = fleissKappaEstimateOfGroups({ patterns: fleissGroups.map((g) => g.counts), multiplicities: fleissGroups.map((g) => g.units) }, options);
  return {
    judgments: members.length,
    comparisons,
    alphaNominal: krippendorffAlphaEstimate(nominal, 'nominal', options),
    alphaOrdinal: krippendorffAlphaEstimate(strengthData, 'ordinal', options),
    alphaInterval: krippendorffAlphaEstimate(strengthData, 'interval', options),
    fleissKappa: { ...fleiss, k },
  };
}

/** The strengths of every unit when no judgment has one (shared, never written to). */
const NO_STRENGTHS: number[] = [];

/** A resampling group's patterns: its units' category counts, and their strength indices. */
interface GroupPatterns {
  choiceGroups: { counts: number[][]; units: number }[];
  strengthGroups: { members: number[][]; units: number }[];
}

/**
 * Groups identical resampling groups (each unit alone, or the runs of `clusterStart`) into the few patterns the
 * bootstraps resample: by their units' category counts, and by their units' strengths. A lone unit's keys are
 * numbers (its units per key counted in a flat table while the keys are few: radix^4, 256 for k = 3).
 */
function patternsOfGroups(
  unitKey: Float64Array,
  unitStrengths: number[][],
  clusterStart: Int32Array | null,
  radix: number,
  weight: number[],
  strengthValueCount: number,
): GroupPatterns {
  const countsOf = (key: number) => weight.map((w) => Math.floor(key / w) % radix);
  const keyCount = radix ** CHOICES.length;
  const lonePerKey = keyCount <= 1 << 16 ? new Int32Array(keyCount) : null;
  const choices = new Map<number | string, { counts: number[][]; units: number }>();
  const strengths = new Map<number | string, { members: number[][]; units: number }>();
  const add = <T extends { units: number }>(patterns: Map<number | string, T>, key: number | string, make: () => T) => {
    const found = patterns.get(key);
    if (found) found.units++;
    else patterns.set(key, make());
  };
  const groupCount = clusterStart ? clusterStart.length - 1 : unitKey.length;
  const inGroup: number[] = [];
  for (let g = 0; g < groupCount; g++) {
    const first = clusterStart ? clusterStart[g]! : g;
    const end = clusterStart ? clusterStart[g + 1]! : g + 1;
    inGroup.length = 0;
    for (let u = first; u < end; u++) if (unitKey[u]! >= 0) inGroup.push(u);
    if (inGroup.length === 0) continue;
    if (inGroup.length === 1) {
      const u = inGroup[0]!;
      if (lonePerKey) lonePerKey[unitKey[u]!]!++;
      else add(choices, unitKey[u]!, () => ({ counts: [countsOf(unitKey[u]!)], units: 1 }));
      add(strengths, sequenceKey(unitStrengths[u]!, strengthValueCount), () => ({ members: [unitStrengths[u]!], units: 1 }));
      continue;
    }
    const keys = inGroup.map((u) => unitKey[u]!).sort((x, y) => x - y);
    // A group's keys as a negative number while they fit in 53 bits (a lone unit's keys are not negative), else as
    // text: text keys for every group cost a fifth of the panel at 83,000 ranking tasks.
    add(choices, groupKey(keys, keyCount) ?? `c${keys.join(',')}`, () => ({ counts: keys.map(countsOf), units: 1 }));
    if (inGroup.every((u) => unitStrengths[u]!.length === 0)) {
      add(strengths, -inGroup.length, () => ({ members: inGroup.map(() => NO_STRENGTHS), units: 1 }));
      continue;
    }
    const lists = inGroup.map((u) => unitStrengths[u]!).sort(compareLists);
    add(strengths, `s${lists.map((list) => list.join(',')).join(';')}`, () => ({ members: lists, units: 1 }));
  }
  if (lonePerKey) lonePerKey.forEach((units, key) => units > 0 && choices.set(key, { counts: [countsOf(key)], units }));
  return { choiceGroups: [...choices.values()], strengthGroups: [...strengths.values()] };
}

/** Ascending integers below `radix` as one negative number, null when they do not fit in 53 bits. */
function groupKey(sorted: readonly number[], radix: number): number | null {
  if (sorted.length * Math.log2(radix + 1) >= 53) return null;
  let key = 0;
  for (const v of sorted) key = key * (radix + 1) + v + 1;
  return -key - 1;
}

function compareLists(x: readonly number[], y: readonly number[]): number {
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return x.length - y.length;
}

/**
 * The bounds of the resampling groups over the units (clusterStart of PackedUnitLabels): a unit's group is that of
 * its judgments; units without judgments join the group before them. Refuses a group whose units are not consecutive.
 */
function clustersOfUnits(start: Int32Array, members: Int32Array, cluster: Int32Array): Int32Array {
  const bounds = [0];
  const groups: number[] = [];
  for (let u = 0; u < start.length - 1; u++) {
    if (start[u] === start[u + 1]) continue;
    const c = cluster[members[start[u]!]!]!;
    if (groups.length > 0 && c === groups[groups.length - 1]) continue;
    if (groups.length > 0) bounds.push(u);
    groups.push(c);
  }
  bounds.push(start.length - 1);
  // A group met in two runs is one whose units are not consecutive: a sort finds it (a Set of 83,000 groups showed).
  const sorted = Int32Array.from(groups).sort();
  for (let g = 1; g < sorted.length; g++) {
    if (sorted[g] === sorted[g - 1]) throw new RangeError(`the comparisons of resampling group ${sorted[g]} are not numbered consecutively`);
  }
  return Int32Array.from(bounds);
}

/**
 * Judgments by comparison (a counting sort): comparison u holds `members[start[u]..start[u+1])`. A rater
 * with two judgments of one comparison keeps the later row.
 */
function groupByComparison({ comparison, rater }: AgreementColumns): { start: Int32Array; members: Int32Array } {
  const unitCount = countOf(comparison);
  const offsets = new Int32Array(unitCount + 1);
  for (let i = 0; i < comparison.length; i++) offsets[comparison[i]! + 1]!++;
  for (let u = 0; u < unitCount; u++) offsets[u + 1]! += offsets[u]!;
  const sorted = new Int32Array(comparison.length);
  const next = offsets.slice(0, unitCount);
  for (let i = 0; i < comparison.length; i++) sorted[next[comparison[i]!]!++] = i;
  const start = new Int32Array(unitCount + 1);
  const members = new Int32Array(comparison.length);
  let kept = 0;
  for (let u = 0; u < unitCount; u++) {
    start[u] = kept;
    for (let at = offsets[u + 1]! - 1; at >= offsets[u]!; at--) {
      const i = sorted[at]!;
      let repeated = false;
      for (let m = start[u]!; m < kept && !repeated; m++) repeated = rater[members[m]!] === rater[i];
      if (!repeated) members[kept++] = i;
    }
  }
  start[unitCount] = kept;
  return { start, members: members.slice(0, kept) };
}

/** Puts `value` in its place among the ascending labels[from..to), which grow by one. */
function insertSorted(labels: Int32Array, from: number, to: number, value: number): void {
  let at = to;
  for (; at > from && labels[at - 1]! > value; at--) labels[at] = labels[at - 1]!;
  labels[at] = value;
}

/** How many numbers 0..n-1 an index column uses: its largest value + 1. */
function countOf(indices: Int32Array): number {
  let largest = -1;
  for (let at = 0; at < indices.length; at++) if (indices[at]! > largest) largest = indices[at]!;
  return largest + 1;
}

/** A grouping key for ascending integers below `radix`: one number while it fits in 53 bits, else a packed string. */
function sequenceKey(sorted: readonly number[], radix: number): number | string {
  if (sorted.length * Math.log2(radix + 1) >= 53) return packKey(sorted);
  let key = 0;
  for (const v of sorted) key = key * (radix + 1) + v + 1;
  return key;
}

function mostCommonSize(frequency: Map<number, number>): number | null {
  let best: number | null = null;
  for (const [size, n] of frequency) {
    if (size < 2) continue;
    if (best === null || n > frequency.get(best)! || (n === frequency.get(best) && size > best)) best = size;
  }
  return best;
}
