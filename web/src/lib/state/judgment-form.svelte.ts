// The answer being built for one comparison under a campaign's task design: one row for the overall
// preference and one per criterion, each a choice and (on strength scales) a magnitude; and the keys
// that answer a row.
import type { TTaskDesign } from '$contract/campaign';
import type { TCriterionAnswer, TFlagRequest, TSubmitJudgmentRequest } from '$contract/rater';

/** A choice and, for left/right on a strength scale, its magnitude 1..n. */
type Answer = TCriterionAnswer;

/** What the controls hand to the rater loop; the loop adds timeMs and the idempotency key. */
export type JudgmentDraft = Omit<TSubmitJudgmentRequest, 'timeMs' | 'idempotencyKey'>;

/** What a task's controls, a pair's or a ranking's, are given to answer it (the rater loop's side). */
export interface AnswerProps {
  /** The answer to start from (a judgment taken back by undo). */
  initial?: JudgmentDraft | undefined;
  /** A request is in flight: keys that send are ignored. */
  busy?: boolean;
  canUndo?: boolean;
  onsubmit: (judgment: JudgmentDraft) => void;
  onskip: () => void;
  onflag: (flag: TFlagRequest) => void;
  onundo: () => void;
}

export interface Row {
  /** 'overall' or a criterion's name. */
  name: string;
  label: string;
  /** For a folded row: a few words. */
  short: string;
  description?: string;
}

export interface ScaleOption extends Answer {
  id: string;
}

/** What the two sides are called: Left/Right side by side, A/B when the responses are stacked. */
export interface SideNames {
  left: string;
  right: string;
}
export const SIDE_BY_SIDE: SideNames = { left: 'Left', right: 'Right' };
export const STACKED: SideNames = { left: 'A', right: 'B' };

/** Up to this many strength levels, every segment has a digit of its own: 1..4 left, 5 tie, 6..9 right. */
export const DIGIT_PER_SEGMENT_LEVELS = 4;

/** The answers a row offers, from "left, strongest" across to "right, strongest", then "both bad". */
export function scaleOptions(scale: TTaskDesign['scale']): ScaleOption[] {
  const levels = scale.strengthLevels.length;
  const side = (choice: 'left' | 'right', ordered: number[]): ScaleOption[] =>
    levels === 0 ? [{ id: choice, choice }] : ordered.map((strength) => ({ id: `${choice}-${strength}`, choice, strength }));
  const magnitudes = Array.from({ length: levels }, (_, index) => index + 1);
  return [
    ...side('left', [...magnitudes].reverse()),
    ...(scale.allowTie ? [{ id: 'tie', choice: 'tie' as const }] : []),
    ...side('right', magnitudes),
    ...(scale.allowBothBad ? [{ id: 'both_bad', choice: 'both_bad' as const }] : []),
  ];
}

/** An option in words, e.g. "Left: Slightly better", "A is better", "Tie". */
export function optionLabel(option: Answer, scale: TTaskDesign['scale'], sides: SideNames): string {
  if (option.choice === 'tie') return 'Tie';
  if (option.choice === 'both_bad') return 'Both bad';
  const side = sides[option.choice];
  return option.strength === undefined ? `${side} is better` : `${side}: ${scale.strengthLevels[option.strength - 1]}`;
}

/**
 * The keys that pick an option, first the one shown. Binary: 1 or ← and 2 or →. Up to four levels:
 * one digit per segment, in the segments' order (left strongest = 1 ... 4, tie 5, 6 ... 9 = right
 * strongest). Five to seven levels: the side (← or →) first, then the strength digit 1..n shown.
 */
export function optionKeys(option: Answer, levels: number): string[] {
  if (option.choice === 'tie') return levels > 0 && levels <= DIGIT_PER_SEGMENT_LEVELS ? ['5', 'T'] : ['T'];
  if (option.choice === 'both_bad') return ['B'];
  const arrow = option.choice === 'left' ? '←' : '→';
  if (levels === 0) return [option.choice === 'left' ? '1' : '2', arrow];
  const strength = option.strength ?? 1;
  if (levels <= DIGIT_PER_SEGMENT_LEVELS) return [String(option.choice === 'left' ? 5 - strength : 5 + strength)];
  return [String(strength)];
}

/** What is wrong with a rationale under the design (pairs and rankings alike); undefined when nothing is. */
export function rationaleProblem({ rationale }: TTaskDesign, text: string): string | undefined {
  const { mode, minLength } = rationale;
  const length = text.trim().length;
  if (mode === 'off' || (mode === 'optional' && length === 0)) return undefined;
  if (length < Math.max(minLength, mode === 'required' ? 1 : 0)) {
    return `Explain your choice in at least ${Math.max(minLength, 1)} characters (${length} so far).`;
  }
  return undefined;
}

export class JudgmentForm {
  readonly rows: Row[];
  readonly options: ScaleOption[];
  readonly levels: number;
  answers = $state<Record<string, Partial<Answer>>>({});
  /** The row keys act on (the one open); rows.length when none is (the rationale has the room). */
  active = $state(0);
  rationale = $state('');

  /** `initial`: an earlier answer to start from (the one taken back by undo). */
  constructor(
    readonly design: TTaskDesign,
    initial?: JudgmentDraft,
  ) {
    this.rows = [
      { name: 'overall', label: 'Overall, which response is better?', short: 'Overall' },
      ...design.criteria.map(({ name, label, description }) => ({ name, label, short: label, description })),
    ];
    this.options = scaleOptions(design.scale);
    this.levels = design.scale.strengthLevels.length;
    if (initial) {
      const { choice, strength, criteria = {}, rationale = '' } = initial;
      this.answers = { ...criteria, overall: { choice, strength } };
      this.rationale = rationale;
    }
  }

  activeRow = $derived.by((): Row | undefined => this.rows[this.active]);

  isAnswered(row: Row): boolean {
    const answer = this.answers[row.name];
    if (!answer?.choice) return false;
    const sided = answer.choice === 'left' || answer.choice === 'right';
    return !sided || this.levels === 0 || answer.strength !== undefined;
  }

  /** The option a row shows as checked (only for a complete answer). */
  selected(row: Row): ScaleOption | undefined {
    if (!this.isAnswered(row)) return undefined;
    const answer = this.answers[row.name];
    return this.options.find((option) => option.choice === answer?.choice && option.strength === answer.strength);
  }

  rationaleProblem = $derived.by(() => rationaleProblem(this.design, this.rationale));

  /** What is still missing before Enter submits, in words; undefined when ready. */
  missing = $derived.by((): string | undefined => {
    const unanswered = this.rows.filter((row) => !this.isAnswered(row));
    if (unanswered.length > 0) return `Answer: ${unanswered.map((row) => row.label).join('; ')}`;
    return this.rationaleProblem;
  });

  select(option: ScaleOption, rowIndex = this.active): void {
    this.active = rowIndex;
    this.set({ choice: option.choice, strength: option.strength });
  }

  /** Acts on a digit in the active row; false when it means nothing there. */
  digit(value: number): boolean {
    const row = this.activeRow;
    if (!row) return false;
    if (this.levels === 0) {
      if (value !== 1 && value !== 2) return false;
      this.set({ choice: value === 1 ? 'left' : 'right' });
      return true;
    }
    if (this.levels <= DIGIT_PER_SEGMENT_LEVELS) {
      const option = this.options.find((candidate) => optionKeys(candidate, this.levels)[0] === String(value));
      if (!option) return false;
      this.select(option);
      return true;
    }
    // Five levels or more: the digit is the strength on the side already chosen.
    const current = this.answers[row.name];
    if (value > this.levels || (current?.choice !== 'left' && current?.choice !== 'right')) return false;
    this.set({ choice: current.choice, strength: value });
    return true;
  }

  /**
   * ← and →: binary scales pick the side; strength scales step along the row's segments (from no
   * answer, to the weakest level of that side).
   */
  step(direction: 'left' | 'right'): void {
    const row = this.activeRow;
    if (!row) return;
    if (this.levels === 0) {
      this.set({ choice: direction });
      return;
    }
    const sided = this.options.filter((option) => option.choice === 'left' || option.choice === 'right' || option.choice === 'tie');
    const answer = this.answers[row.name];
    const index = sided.findIndex((option) => option.choice === answer?.choice && option.strength === answer.strength);
    const next =
      index === -1
        ? sided.find((option) => option.choice === direction && option.strength === 1)
        : sided[Math.min(sided.length - 1, Math.max(0, index + (direction === 'left' ? -1 : 1)))];
    // Five levels or more: the side alone is chosen first, and a digit gives its strength.
    if (next && this.levels > DIGIT_PER_SEGMENT_LEVELS && index === -1) this.answers[row.name] = { choice: direction };
    else if (next) this.set({ choice: next.choice, strength: next.strength });
  }

  chooseOther(choice: 'tie' | 'both_bad'): boolean {
    if (!this.activeRow || !this.options.some((option) => option.choice === choice)) return false;
    this.set({ choice });
    return true;
  }

  /** ↑ and ↓ between rows; from "none open", ↑ opens the last row. */
  moveRow(step: number): void {
    this.active = Math.min(this.rows.length - 1, Math.max(0, this.active + step));
  }

  /** Opens no row (the rationale has the room). */
  closeRows(): void {
    this.active = this.rows.length;
  }

  private set(answer: Partial<Answer>): void {
    const row = this.activeRow;
    if (!row) return;
    this.answers[row.name] = answer;
    if (!this.isAnswered(row)) return;
    // A finished row hands the keyboard to the next unanswered one, so a rater never has to reach for Tab;
    // the last one stays open, showing its answer.
    const after = this.rows.findIndex((candidate, index) => index > this.active && !this.isAnswered(candidate));
    const before = this.rows.findIndex((candidate) => !this.isAnswered(candidate));
    if (after !== -1 || before !== -1) this.active = after !== -1 ? after : before;
  }

  draft(): JudgmentDraft {
    const answerOf = (row: Row): Answer => {
      const { choice, strength } = this.answers[row.name] as Answer;
      return strength === undefined ? { choice } : { choice, strength };
    };
    const [overall, ...criteria] = this.rows;
    const rationale = this.rationale.trim();
    return {
      ...answerOf(overall as Row),
      ...(criteria.length > 0 ? { criteria: Object.fromEntries(criteria.map((row) => [row.name, answerOf(row)])) } : {}),
      ...(rationale ? { rationale } : {}),
    };
  }
}
