// The agreement panel of the quality dashboard in one call: alpha, Fleiss' and pairwise Cohen's kappa with bootstrap intervals.
//
// Input, one row per judgment (gold items and excluded judgments left out by the caller):
//   comparisonId    the comparison judged; the unit that agreement is measured over and the bootstrap resamples
//   raterId         who judged it (a rater judges a comparison at most once; a repeated pair keeps the last row)
//   choice          'A' | 'B' | 'TIE' | 'BOTH_BAD', canonical (the stored order of the pair, not the screen sides)
//   signedStrength  the strength on a signed scale: +s for A with strength s, -s for B, 0 for TIE, null when
//                   the scale has no strength or the choice is BOTH_BAD (`signedStrength()` below builds it)
import type { BootstrapOptions, Estimate } from './bootstrap';
import { groupByUnit, pairwiseCohenKappaOfUnits, type RaterPairKappa } from './cohen';
import { fleissKappaEstimate } from './fleiss';
import { krippendorffAlphaEstimate, reliabilityFromUnits } from './krippendorff';
import type { Choice } from './rater-quality';

export interface AgreementJudgment {
  comparisonId: string;
  raterId: string;
  choice: Choice;
  signedStrength: number | null;
}

export interface AgreementSummaryOptions extends BootstrapOptions {
  /** Judgments per comparison for Fleiss' kappa (the campaign's k); default: the most common count of 2 or more. */
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

export interface AgreementSummary {
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
  cohenPairwise: Estimate & { pairs: RaterPairKappa[] };
}

const CHOICES: readonly Choice[] = ['A', 'B', 'TIE', 'BOTH_BAD'];

/** The signed strength of a judgment: +strength for A, -strength for B, 0 for a tie, null otherwise. */
export function signedStrength(choice: Choice, strength: number | null): number | null {
  if (choice === 'TIE') return 0;
  if (choice === 'BOTH_BAD' || strength === null) return null;
  return choice === 'A' ? strength : -strength;
}

/** Every agreement statistic of the dashboard, each with a seeded bootstrap interval over comparisons. */
export function computeAgreementSummary(judgments: readonly AgreementJudgment[], options: AgreementSummaryOptions = {}): AgreementSummary {
  const units = groupByUnit(judgments, (j) => j.comparisonId, (j) => j.raterId);
  const choices = reliabilityFromUnits(units.map((unit) => unit.map((j) => j.choice)));
  const strengths = reliabilityFromUnits(units.map((unit) => unit.map((j) => j.signedStrength)));
  const k = options.k ?? mostCommonSize(units);
  const cohen = pairwiseCohenKappaOfUnits(
    units.map((unit) => unit.map((j) => ({ rater: j.raterId, value: j.choice }))),
    { ...options, categories: CHOICES, maxDraws: options.cohenMaxDraws ?? DEFAULT_COHEN_MAX_DRAWS },
  );
  return {
    judgments: units.reduce((sum, unit) => sum + unit.length, 0),
    comparisons: units.length,
    alphaNominal: krippendorffAlphaEstimate(choices, 'nominal', options),
    alphaOrdinal: krippendorffAlphaEstimate(strengths, 'ordinal', options),
    alphaInterval: krippendorffAlphaEstimate(strengths, 'interval', options),
    fleissKappa: { ...fleissOfSize(units, k, options), k },
    cohenPairwise: { ...cohen.mean, pairs: cohen.pairs },
  };
}

function fleissOfSize(units: AgreementJudgment[][], k: number | null, options: BootstrapOptions): Estimate {
  const counts = units
    .filter((unit) => unit.length === k)
    .map((unit) => CHOICES.map((choice) => unit.filter((j) => j.choice === choice).length));
  return fleissKappaEstimate(counts, options);
}

function mostCommonSize(units: AgreementJudgment[][]): number | null {
  const frequency = new Map<number, number>();
  for (const unit of units) if (unit.length >= 2) frequency.set(unit.length, (frequency.get(unit.length) ?? 0) + 1);
  let best: number | null = null;
  for (const [size, n] of frequency) if (best === null || n > frequency.get(best)! || (n === frequency.get(best) && size > best)) best = size;
  return best;
}
