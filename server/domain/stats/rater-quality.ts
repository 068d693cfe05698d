// Per-rater quality figures for the dashboard, and which review thresholds a rater crosses.
import { DEFAULT_REVIEW_THRESHOLDS, type TReviewThresholds } from '../../contract/campaign';
import { binomialTestHalf } from './binomial';

/** A judgment's choice in canonical terms (A and B are the stored order, never the screen sides). */
export type Choice = 'A' | 'B' | 'TIE' | 'BOTH_BAD';

/** One judgment of the rater, with what the others said about the same comparison. */
export interface RaterJudgment {
  comparisonId: string;
  choice: Choice;
  /** Whether response A was shown on the left (sides are randomised per assignment). */
  leftIsA: boolean;
  /** Time on task in milliseconds; null when unknown. */
  timeMs: number | null;
  /** Lengths in characters of responses A and B. */
  lengthA: number;
  lengthB: number;
  /** Choices of the other raters on this comparison (not including this rater). */
  otherChoices: readonly Choice[];
  /** The gold answer when the comparison is a gold item (A, B or TIE), else null. */
  gold: Choice | null;
}

export interface RaterQualityInput {
  raterId: string;
  judgments: readonly RaterJudgment[];
  /** Flags this rater raised (reports on responses or comparisons). */
  flagCount: number;
}

/** A share with the number of judgments it is computed over; null share when there are none. */
export interface Rate {
  rate: number | null;
  n: number;
}

export interface RaterQuality {
  raterId: string;
  judgments: number;
  /** Agreement with the plurality choice of the other raters; comparisons where the others tie or are absent are left out. */
  agreementWithOthers: Rate;
  goldAccuracy: Rate;
  /** Share of A/B choices that picked the response shown on the left, with an exact two-sided binomial test against 1/2. */
  leftChoice: Rate & { pValue: number | null };
  /** Share of A/B choices (between responses of different lengths) that picked the longer response. */
  longerChoice: Rate;
  medianTimeMs: number | null;
  /** Share of timed judgments faster than the reading floor for their length. */
  fastShare: Rate;
  flagCount: number;
  /** The review thresholds crossed, as codes (see `ReviewThresholds`). */
  review: ReviewReason[];
}

export type ReviewReason = 'low-agreement' | 'low-gold-accuracy' | 'side-bias' | 'length-bias' | 'too-fast' | 'many-flags';

/** When a rater is listed for review: the campaign's setting (see ZReviewThresholdsSchema). */
export type ReviewThresholds = TReviewThresholds;
export { DEFAULT_REVIEW_THRESHOLDS };

/** Canonical choices in the order of their codes in typed columns. */
export const CHOICES: readonly Choice[] = ['A', 'B', 'TIE', 'BOTH_BAD'];
const [A, B] = [0, 1];

/**
 * Judgments of many raters as typed columns, item i describing one judgment: raters numbered from 0,
 * choices as CHOICES indices, -1 for none.
 */
export interface RaterJudgmentColumns {
  rater: Int32Array;
  choice: Uint8Array;
  leftIsA: Uint8Array;
  /** NaN when unknown. */
  timeMs: Float64Array;
  lengthA: Int32Array;
  lengthB: Int32Array;
  /** Plurality choice of the other raters on the same comparison (`othersPlurality`), -1 when none. */
  othersPlurality: Int8Array;
  /** The gold answer, -1 when the comparison is not gold. */
  gold: Int8Array;
}

/** Quality figures of one rater from their judgments. */
export function assessRater(input: RaterQualityInput, thresholds: Partial<ReviewThresholds> = {}): RaterQuality {
  const { judgments } = input;
  const code = (choice: Choice | null) => (choice === null ? -1 : CHOICES.indexOf(choice));
  const columns: RaterJudgmentColumns = {
    rater: new Int32Array(judgments.length),
    choice: Uint8Array.from(judgments, (j) => code(j.choice)),
    leftIsA: Uint8Array.from(judgments, (j) => (j.leftIsA ? 1 : 0)),
    timeMs: Float64Array.from(judgments, (j) => j.timeMs ?? NaN),
    lengthA: Int32Array.from(judgments, (j) => j.lengthA),
    lengthB: Int32Array.from(judgments, (j) => j.lengthB),
    othersPlurality: Int8Array.from(judgments, (j) => code(pluralityChoice(j.otherChoices))),
    gold: Int8Array.from(judgments, (j) => code(j.gold)),
  };
  return assessRaters(columns, [{ raterId: input.raterId, flagCount: input.flagCount }], thresholds)[0]!;
}

/** Quality figures of every rater (`raters[r]` made the judgments with rater r) in one pass over the columns. */
export function assessRaters(
  columns: RaterJudgmentColumns,
  raters: readonly { raterId: string; flagCount: number }[],
  thresholds: Partial<ReviewThresholds> = {},
): RaterQuality[] {
  const limits = { ...DEFAULT_REVIEW_THRESHOLDS, ...thresholds };
  // Per rater: [judgments, agreement n, agreeing, gold n, correct, sided n, left, unequal n, longer, timed n, fast].
  const FIELDS = 11;
  const tallies = new Float64Array(raters.length * FIELDS);
  const timedBy = new Int32Array(raters.length + 1);
  for (let i = 0; i < columns.rater.length; i++) {
    const t = columns.rater[i]! * FIELDS;
    const choice = columns.choice[i]!;
    const majority = columns.othersPlurality[i]!;
    const gold = columns.gold[i]!;
    const lengthA = columns.lengthA[i]!;
    const lengthB = columns.lengthB[i]!;
    const timeMs = columns.timeMs[i]!;
    tallies[t]!++;
    if (majority !== -1) tally(tallies, t + 1, choice === majority);
    if (gold !== -1) tally(tallies, t + 3, choice === gold);
    if (choice === A || choice === B) {
      tally(tallies, t + 5, (choice === A) === (columns.leftIsA[i] === 1));
      if (lengthA !== lengthB) tally(tallies, t + 7, (choice === A) === lengthA > lengthB);
    }
    if (!Number.isNaN(timeMs)) {
      tally(tallies, t + 9, timeMs < limits.floorBaseMs + limits.floorPerCharMs * (lengthA + lengthB));
      timedBy[columns.rater[i]! + 1]!++;
    }
  }
  // Times grouped by rater (a counting sort) for the medians.
  for (let r = 0; r < raters.length; r++) timedBy[r + 1]! += timedBy[r]!;
  const times = new Float64Array(timedBy[raters.length]!);
  const next = timedBy.slice(0, raters.length);
  for (let i = 0; i < columns.rater.length; i++) if (!Number.isNaN(columns.timeMs[i]!)) times[next[columns.rater[i]!]!++] = columns.timeMs[i]!;
  return raters.map(({ raterId, flagCount }, r) => {
    const t = r * FIELDS;
    const rate = (at: number): Rate => ({ rate: tallies[t + at] === 0 ? null : tallies[t + at + 1]! / tallies[t + at]!, n: tallies[t + at]! });
    const left = rate(5);
    const own = times.subarray(timedBy[r]!, timedBy[r + 1]!);
    const quality: RaterQuality = {
      raterId,
      judgments: tallies[t]!,
      agreementWithOthers: rate(1),
      goldAccuracy: rate(3),
      leftChoice: { ...left, pValue: left.n === 0 ? null : binomialTestHalf(tallies[t + 6]!, left.n) },
      longerChoice: rate(7),
      medianTimeMs: own.length === 0 ? null : median(own),
      fastShare: rate(9),
      flagCount,
      review: [],
    };
    quality.review = reviewReasons(quality, limits);
    return quality;
  });
}

/** Counts one outcome into a pair of tallies: how many, and how many held. */
function tally(tallies: Float64Array, at: number, held: boolean): void {
  tallies[at]!++;
  if (held) tallies[at + 1]!++;
}

/**
 * For each judgment, the plurality choice (CHOICES index, -1 when none or shared) of the counted judgments
 * of the other raters on its comparison (comparisons numbered from 0; choices -1 or above 3 have none).
 */
export function othersPlurality(comparison: Int32Array, choice: Uint8Array, counted: Uint8Array, comparisons: number): Int8Array {
  const categories = CHOICES.length;
  const counts = new Int32Array(comparisons * categories);
  for (let i = 0; i < comparison.length; i++) if (counted[i] === 1 && choice[i]! < categories) counts[comparison[i]! * categories + choice[i]!]!++;
  const result = new Int8Array(comparison.length);
  for (let i = 0; i < comparison.length; i++) {
    const at = comparison[i]! * categories;
    // The judgment's own counted answer is not one of the others'.
    const own = counted[i] === 1 && choice[i]! < categories ? choice[i]! : -1;
    let best = -1;
    let top = 0;
    let shared = false;
    for (let c = 0; c < categories; c++) {
      const n = counts[at + c]! - (c === own ? 1 : 0);
      if (n > top) {
        best = c;
        top = n;
        shared = false;
      } else if (n === top && n > 0) {
        shared = true;
      }
    }
    result[i] = shared ? -1 : best;
  }
  return result;
}

/** The median (type 7: the mean of the two middle values of an even count) of non-empty values, reordering them. */
export function median(values: Float64Array): number {
  const middle = (values.length - 1) >> 1;
  select(values, middle);
  if (values.length % 2 === 1) return values[middle]!;
  let next = Infinity;
  for (let i = middle + 1; i < values.length; i++) next = Math.min(next, values[i]!);
  return (values[middle]! + next) / 2;
}

/** Reorders `values` so that values[k] is the k-th smallest, none before it larger and none after it smaller (Hoare's selection). */
function select(values: Float64Array, k: number): void {
  let [low, high] = [0, values.length - 1];
  while (low < high) {
    const pivot = values[(low + high) >> 1]!;
    let [i, j] = [low, high];
    while (i <= j) {
      while (values[i]! < pivot) i++;
      while (values[j]! > pivot) j--;
      if (i <= j) {
        const swap = values[i]!;
        values[i++] = values[j]!;
        values[j--] = swap;
      }
    }
    if (k <= j) high = j;
    else if (k >= i) low = i;
    else return;
  }
}

function reviewReasons(q: RaterQuality, limits: ReviewThresholds): ReviewReason[] {
  if (q.judgments < limits.minimumJudgments) return [];
  const below = (r: Rate, limit: number) => r.rate !== null && r.rate < limit;
  const above = (r: Rate, limit: number) => r.rate !== null && r.rate > limit;
  const checks: [ReviewReason, boolean][] = [
    ['low-agreement', below(q.agreementWithOthers, limits.minAgreement)],
    ['low-gold-accuracy', q.goldAccuracy.n >= limits.minimumGold && below(q.goldAccuracy, limits.minGoldAccuracy)],
    ['side-bias', q.leftChoice.pValue !== null && q.leftChoice.pValue < limits.maxSideBiasPValue],
    ['length-bias', above(q.longerChoice, limits.maxLongerShare)],
    ['too-fast', above(q.fastShare, limits.maxFastShare)],
    ['many-flags', q.flagCount / q.judgments > limits.maxFlagShare],
  ];
  return checks.filter(([, crossed]) => crossed).map(([reason]) => reason);
}

/** The most frequent choice, or null when there is none or the top is shared. */
export function pluralityChoice(choices: readonly Choice[]): Choice | null {
  const counts = new Map<Choice, number>();
  for (const c of choices) counts.set(c, (counts.get(c) ?? 0) + 1);
  const ranked = [...counts.entries()].sort((x, y) => y[1] - x[1]);
  if (ranked.length === 0 || (ranked.length > 1 && ranked[0]![1] === ranked[1]![1])) return null;
  return ranked[0]![0];
}
