// The review thresholds in the campaign settings form, in the units people think in (percent, seconds),
// checked against the contract's own bounds, translated into those units, before anything is sent.
import { DEFAULT_REVIEW_THRESHOLDS, ZReviewThresholdsSchema, type TReviewThresholds } from '$contract/campaign';

export type ReviewThresholdKey = keyof TReviewThresholds;

export interface ReviewThresholdField {
  key: ReviewThresholdKey;
  label: string;
  /** What the threshold does, under its input. */
  hint: string;
  /** The form shows the API's value times this: 100 for shares shown as percent, 1/1000 for milliseconds shown as seconds. */
  scale: number;
}

/**
 * In the contract's key order, which the settings form relies on (it finds changes by comparing JSON),
 * and which reads well: each check's minimum count next to the check.
 */
export const REVIEW_THRESHOLD_FIELDS: readonly ReviewThresholdField[] = [
  { key: 'minimumJudgments', label: 'Judgments before any check', hint: 'No rater with fewer judgments is marked, so new raters are not marked on noise.', scale: 1 },
  {
    key: 'minAgreement',
    label: 'Lowest agreement (%)',
    hint: 'Marks a rater who agrees with the plurality of the other raters less often than this (with three choices chance is about 33%).',
    scale: 100,
  },
  { key: 'minimumGold', label: 'Gold answers before the gold check', hint: 'Gold comparisons a rater answers before their gold accuracy is judged.', scale: 1 },
  { key: 'minGoldAccuracy', label: 'Lowest gold accuracy (%)', hint: 'Marks a rater who answers fewer gold comparisons correctly than this.', scale: 100 },
  {
    key: 'maxSideBiasPValue',
    label: 'Side habit p-value',
    hint: 'Marks a rater whose share of left-side picks has a two-sided binomial p-value below this: a side habit, not chance. Smaller marks fewer raters.',
    scale: 1,
  },
  { key: 'maxLongerShare', label: 'Most picks of the longer response (%)', hint: 'Marks a rater who picks the longer response in more of their left or right choices than this.', scale: 100 },
  { key: 'maxFastShare', label: 'Most judgments under the reading floor (%)', hint: 'Marks a rater when more of their judgments than this came faster than the reading floor.', scale: 100 },
  { key: 'maxFlagShare', label: 'Most flags (% of judgments)', hint: 'Marks a rater who flags more often than this, counted per judgment.', scale: 100 },
  { key: 'floorBaseMs', label: 'Reading floor: base seconds', hint: 'The least time any comparison takes to read, before the time per character is added.', scale: 1 / 1000 },
  { key: 'floorPerCharMs', label: 'Reading floor: ms per character', hint: 'Added to the base for each character of both responses.', scale: 1 },
];

/** Without it 0.7 shows as 70.00000000000001 %. */
const tidy = (value: number) => Number(value.toPrecision(12));

const schemaOf = (key: ReviewThresholdKey) => ZReviewThresholdsSchema.shape[key];

/** Counts; milliseconds shown as seconds take decimals (they are rounded to whole milliseconds). */
export const takesWholeNumbers = ({ key, scale }: ReviewThresholdField): boolean => schemaOf(key).isInt && scale === 1;

function toApi({ key, scale }: ReviewThresholdField, shown: number): number {
  if (scale === 1) return shown;
  return schemaOf(key).isInt ? Math.round(shown / scale) : tidy(shown / scale);
}

/** "Enter a number from 0 to 100.": the contract's bounds in the form's units. */
function rangeMessage(field: ReviewThresholdField): string {
  const { key, scale } = field;
  const schema = schemaOf(key);
  const min = schema.minValue ?? -Infinity;
  const max = schema.maxValue ?? Infinity;
  const shown = (value: number) => tidy(value * scale).toLocaleString('en');
  const lower = schema.safeParse(min).success ? `from ${shown(min)}` : `above ${shown(min)}`;
  const upper = schema.safeParse(max).success ? (lower.startsWith('from') ? ` to ${shown(max)}` : ` and at most ${shown(max)}`) : ` and below ${shown(max)}`;
  return `Enter ${takesWholeNumbers(field) ? 'a whole number' : 'a number'} ${lower}${upper}.`;
}

type Inputs = Record<ReviewThresholdKey, number | null>;

const inputsOf = (thresholds: Readonly<TReviewThresholds>): Inputs =>
  Object.fromEntries(REVIEW_THRESHOLD_FIELDS.map(({ key, scale }) => [key, tidy(thresholds[key] * scale)])) as Inputs;

export class ReviewThresholdsDraft {
  /** What each input holds, in the form's units; null while an input is empty or not a number. */
  inputs = $state<Inputs>(inputsOf(DEFAULT_REVIEW_THRESHOLDS));

  reset(thresholds: Readonly<TReviewThresholds>): void {
    this.inputs = inputsOf(thresholds);
  }

  resetToDefaults(): void {
    this.reset(DEFAULT_REVIEW_THRESHOLDS);
  }

  /** In the API's units (NaN where an input is empty: `issues` names it). */
  thresholds = $derived(
    Object.fromEntries(REVIEW_THRESHOLD_FIELDS.map((field) => [field.key, toApi(field, this.inputs[field.key] ?? NaN)])) as TReviewThresholds,
  );

  /** Each input the API would refuse, in the form's order, as the error box lists problems (`path: message`). */
  issues = $derived(
    REVIEW_THRESHOLD_FIELDS.filter(({ key }) => !schemaOf(key).safeParse(this.thresholds[key]).success).map((field) => ({
      key: field.key,
      path: field.label,
      message: rangeMessage(field),
    })),
  );

  /** The message for each input the API would refuse, shown next to it. */
  problems = $derived(Object.fromEntries(this.issues.map(({ key, message }) => [key, message])) as Partial<Record<ReviewThresholdKey, string>>);

  /** How many thresholds differ from the defaults, for the collapsed section's summary. */
  changedFromDefaults = $derived(REVIEW_THRESHOLD_FIELDS.filter(({ key }) => this.thresholds[key] !== DEFAULT_REVIEW_THRESHOLDS[key]).length);
}
