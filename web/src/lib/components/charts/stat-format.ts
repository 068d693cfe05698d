// Plain-words readings and number formats shared by the dashboard's charts, tables and captions.
import type { TReviewThresholds } from '$contract/campaign';
import type { TCampaignStats, TRaterStats } from '$contract/stats';

type Interval = [number, number] | null;
export type ReviewReason = TRaterStats['review'][number];
export type NonEstimableReason = NonNullable<TCampaignStats['leaderboard'][number]['reason']>;

export const percent = (share: number | null, digits = 0): string => (share === null ? '—' : `${(share * 100).toFixed(digits)}%`);

export const decimal = (value: number | null, digits = 2): string => (value === null ? '—' : value.toFixed(digits).replace(/^-(?=0\.0*$)/, ''));

export const count = (value: number): string => value.toLocaleString('en');

export const interval = (ci: Interval, digits = 2): string => (ci ? `${decimal(ci[0], digits)} to ${decimal(ci[1], digits)}` : 'no interval');

export const seconds = (ms: number | null): string => (ms === null ? '—' : ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`);

/**
 * Landis and Koch's bands for kappa-like statistics, the ones most readers know; Krippendorff asks for
 * alpha of at least 0.8 to rely on data and 0.667 for tentative conclusions, which the caption adds.
 */
export const AGREEMENT_BANDS = [
  { from: -1, to: 0, label: 'poor' },
  { from: 0, to: 0.2, label: 'slight' },
  { from: 0.2, to: 0.4, label: 'fair' },
  { from: 0.4, to: 0.6, label: 'moderate' },
  { from: 0.6, to: 0.8, label: 'substantial' },
  { from: 0.8, to: 1, label: 'almost perfect' },
] as const;

/** "moderate agreement" for 0.52; null when there is no value. */
export function agreementReading(value: number | null): string | null {
  if (value === null) return null;
  const band = AGREEMENT_BANDS.find((b) => value < b.to) ?? AGREEMENT_BANDS[AGREEMENT_BANDS.length - 1];
  return `${band.label} agreement`;
}

/**
 * Why nominal alpha has no value, in words (the headline card and the agreement chart both say this);
 * null when it has one.
 */
export function alphaUndefinedText(agreement: TCampaignStats['agreement']): string | null {
  const why = agreement.alphaUndefined;
  if (agreement.krippendorffAlpha.value !== null || !why) return null;
  if (why.reason === 'no-pairable-comparisons') return 'No comparison has counted judgments from two raters yet.';
  const answer = why.onlyAnswer === 'TIE' ? 'a tie' : why.onlyAnswer === 'BOTH_BAD' ? '“both bad”' : 'for the same response of the pair';
  return (
    `Alpha is undefined: all ${count(why.judgments)} judgments on comparisons with two or more raters are ${answer}. ` +
    'Raters never disagreed, but with one answer throughout chance would agree as well, and alpha divides by that chance disagreement, zero.'
  );
}

/** What a reader should take from alpha and its interval, in one sentence. */
export function alphaVerdict(value: number | null, ci: Interval): string {
  if (value === null) return 'Not enough overlapping judgments to measure agreement yet.';
  const low = ci?.[0] ?? value;
  if (low >= 0.8) return 'Reliable: raters agree well beyond chance.';
  if (low >= 0.667) return 'Good enough for tentative conclusions.';
  if (value >= 0.667) return 'Probably fine, but the interval still reaches below 0.667: collect more judgments.';
  return 'Below the 0.667 that tentative conclusions need: check the guidelines and the raters marked for review.';
}

/** A threshold share as people write it: 0.7 is "70%", 0.125 is "12.5%". */
const thresholdPercent = (share: number) => `${(share * 100).toLocaleString('en', { maximumFractionDigits: 2 })}%`;

/** Each review mark's name, and what it means under the thresholds the rater table was marked with. */
export const REVIEW_REASONS: Record<ReviewReason, { label: string; explanation: (thresholds: TReviewThresholds) => string }> = {
  'low-agreement': {
    label: 'Low agreement',
    explanation: (t) => `Agrees with the majority of the other raters on the same comparisons less than ${thresholdPercent(t.minAgreement)} of the time.`,
  },
  'low-gold-accuracy': {
    label: 'Gold misses',
    explanation: (t) => `Answers fewer than ${thresholdPercent(t.minGoldAccuracy)} of the gold comparisons (known answers) correctly.`,
  },
  'side-bias': {
    label: 'Side habit',
    explanation: (t) =>
      `Picks the left (or right) side more often than chance allows (binomial test, p < ${t.maxSideBiasPValue.toLocaleString('en', { maximumSignificantDigits: 3 })}).`,
  },
  'length-bias': { label: 'Length habit', explanation: (t) => `Picks the longer response more than ${thresholdPercent(t.maxLongerShare)} of the time.` },
  'too-fast': {
    label: 'Too fast',
    explanation: (t) =>
      `More than ${thresholdPercent(t.maxFastShare)} of judgments came faster than the time needed to read both responses ` +
      `(${count(t.floorBaseMs / 1000)} s plus ${count(t.floorPerCharMs)} ms per character).`,
  },
  'many-flags': { label: 'Many flags', explanation: (t) => `Flags more than ${thresholdPercent(t.maxFlagShare)} of the comparisons they judge.` },
};

export const NON_ESTIMABLE_REASONS: Record<NonEstimableReason, string> = {
  'no-judgments': 'no counted judgments yet',
  disconnected: 'never compared, directly or through other models, with the rest',
  'won-every-comparison': 'won every comparison, so its rating has no upper bound',
  'lost-every-comparison': 'lost every comparison, so its rating has no lower bound',
  'no-finite-estimate': 'the fit found no finite rating',
};
