// Per-rater quality figures for the dashboard, and which review thresholds a rater crosses.
import binomialTest from '@stdlib/stats-binomial-test';
import { quantileSorted } from './bootstrap';

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

/**
 * When a rater is listed for review. A check only applies once the rater has `minimumJudgments`
 * judgments (and gold checks `minimumGold` gold items), so a new rater is not flagged on noise.
 */
export interface ReviewThresholds {
  /** Judgments before any check applies (default 20). */
  minimumJudgments: number;
  /** Agreement with the others below this (default 0.5; with 3 choices chance is about 1/3). */
  minAgreement: number;
  /** Gold items before gold accuracy is judged (default 5). */
  minimumGold: number;
  /** Gold accuracy below this (default 0.7). */
  minGoldAccuracy: number;
  /** Left-side share whose binomial p-value is below this (default 0.001: a clear side habit, not chance). */
  maxSideBiasPValue: number;
  /** Share of choices for the longer response above this (default 0.85). */
  maxLongerShare: number;
  /** Share of judgments faster than the reading floor above this (default 0.25). */
  maxFastShare: number;
  /** Flags per judgment above this (default 0.2). */
  maxFlagShare: number;
  /** The reading floor: `baseMs + perCharMs * (lengthA + lengthB)` (defaults 2000 ms and 5 ms a character, ~12 s for 2,000 characters). */
  floorBaseMs: number;
  floorPerCharMs: number;
}

export const DEFAULT_REVIEW_THRESHOLDS: Readonly<ReviewThresholds> = Object.freeze({
  minimumJudgments: 20,
  minAgreement: 0.5,
  minimumGold: 5,
  minGoldAccuracy: 0.7,
  maxSideBiasPValue: 0.001,
  maxLongerShare: 0.85,
  maxFastShare: 0.25,
  maxFlagShare: 0.2,
  floorBaseMs: 2000,
  floorPerCharMs: 5,
});

/** Quality figures of one rater from their judgments. */
export function assessRater(input: RaterQualityInput, thresholds: Partial<ReviewThresholds> = {}): RaterQuality {
  const limits = { ...DEFAULT_REVIEW_THRESHOLDS, ...thresholds };
  const { judgments } = input;
  const sided = judgments.filter((j) => j.choice === 'A' || j.choice === 'B');
  const timed = judgments.filter((j): j is RaterJudgment & { timeMs: number } => j.timeMs !== null);
  const withMajority = judgments.flatMap((j) => {
    const majority = pluralityChoice(j.otherChoices);
    return majority === null ? [] : [j.choice === majority];
  });
  const leftChoices = sided.map((j) => (j.choice === 'A') === j.leftIsA);
  const left = share(leftChoices);
  const quality: RaterQuality = {
    raterId: input.raterId,
    judgments: judgments.length,
    agreementWithOthers: share(withMajority),
    goldAccuracy: share(judgments.filter((j) => j.gold !== null).map((j) => j.choice === j.gold)),
    leftChoice: { ...left, pValue: left.n === 0 ? null : binomialTest(leftChoices.filter(Boolean).length, left.n, { p: 0.5 }).pValue },
    longerChoice: share(sided.filter((j) => j.lengthA !== j.lengthB).map((j) => (j.choice === 'A') === j.lengthA > j.lengthB)),
    medianTimeMs: timed.length === 0 ? null : quantileSorted(Float64Array.from(timed, (j) => j.timeMs).sort(), 0.5),
    fastShare: share(timed.map((j) => j.timeMs < limits.floorBaseMs + limits.floorPerCharMs * (j.lengthA + j.lengthB))),
    flagCount: input.flagCount,
    review: [],
  };
  quality.review = reviewReasons(quality, limits);
  return quality;
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

function share(outcomes: readonly boolean[]): Rate {
  return { rate: outcomes.length === 0 ? null : outcomes.filter(Boolean).length / outcomes.length, n: outcomes.length };
}
