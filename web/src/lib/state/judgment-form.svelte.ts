// The answer being built for one comparison under a campaign's task design: one row for the overall
// preference and one per criterion, each a choice and (on strength scales) a magnitude.
import type { TTaskDesign } from '$contract/campaign';
import type { TCriterionAnswer, TSubmitJudgmentRequest } from '$contract/rater';

/** A choice and, for left/right on a strength scale, its magnitude 1..n. */
type Answer = TCriterionAnswer;

/** What the controls hand to the rater loop; the loop adds timeMs and the idempotency key. */
export type JudgmentDraft = Omit<TSubmitJudgmentRequest, 'timeMs' | 'idempotencyKey'>;

export interface Row {
  /** 'overall' or a criterion's name. */
  name: string;
  label: string;
  description?: string;
}

export interface ScaleOption extends Answer {
  id: string;
  label: string;
}

const sideLabel = { left: 'Left', right: 'Right' } as const;

/** The answers a row offers, from "left, strongest" across to "right, strongest", then "both bad". */
export function scaleOptions(scale: TTaskDesign['scale']): ScaleOption[] {
  const levels = scale.strengthLevels;
  const side = (choice: 'left' | 'right', ordered: number[]): ScaleOption[] =>
    levels.length === 0
      ? [{ id: choice, choice, label: `${sideLabel[choice]} is better` }]
      : ordered.map((strength) => ({
          id: `${choice}-${strength}`,
          choice,
          strength,
          label: `${sideLabel[choice]}: ${levels[strength - 1]}`,
        }));
  const magnitudes = levels.map((_, index) => index + 1);
  return [
    ...side('left', [...magnitudes].reverse()),
    ...(scale.allowTie ? [{ id: 'tie', choice: 'tie' as const, label: 'Tie' }] : []),
    ...side('right', magnitudes),
    ...(scale.allowBothBad ? [{ id: 'both_bad', choice: 'both_bad' as const, label: 'Both bad' }] : []),
  ];
}

export class JudgmentForm {
  readonly rows: Row[];
  readonly options: ScaleOption[];
  readonly levels: number;
  answers = $state<Record<string, Partial<Answer>>>({});
  active = $state(0);
  rationale = $state('');

  /** `initial`: an earlier answer to start from (the one taken back by undo). */
  constructor(
    readonly design: TTaskDesign,
    initial?: JudgmentDraft,
  ) {
    this.rows = [
      { name: 'overall', label: 'Overall, which response is better?' },
      ...design.criteria.map(({ name, label, description }) => ({ name, label, description })),
    ];
    this.options = scaleOptions(design.scale);
    this.levels = design.scale.strengthLevels.length;
    if (initial) {
      const { choice, strength, criteria = {}, rationale = '' } = initial;
      this.answers = { ...criteria, overall: { choice, strength } };
      this.rationale = rationale;
    }
  }

  activeRow = $derived.by(() => this.rows[this.active] as Row);

  isAnswered(row: Row): boolean {
    const answer = this.answers[row.name];
    if (!answer?.choice) return false;
    const sided = answer.choice === 'left' || answer.choice === 'right';
    return !sided || this.levels === 0 || answer.strength !== undefined;
  }

  /** The option id a row's radio group shows as checked (only for a complete answer). */
  selectedId(row: Row): string | undefined {
    if (!this.isAnswered(row)) return undefined;
    return this.options.find((option) => this.matches(option, this.answers[row.name]))?.id;
  }

  private matches(option: ScaleOption, answer: Partial<Answer> | undefined): boolean {
    return option.choice === answer?.choice && option.strength === answer.strength;
  }

  rationaleProblem = $derived.by((): string | undefined => {
    const { mode, minLength } = this.design.rationale;
    const length = this.rationale.trim().length;
    if (mode === 'off' || (mode === 'optional' && length === 0)) return undefined;
    if (length < Math.max(minLength, mode === 'required' ? 1 : 0)) {
      return `Explain your choice in at least ${Math.max(minLength, 1)} characters (${length} so far).`;
    }
    return undefined;
  });

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

  /** Picks a side on the active row, keeping the strength already given. */
  chooseSide(choice: 'left' | 'right'): void {
    const current = this.answers[this.activeRow.name];
    this.set({ choice, strength: this.levels > 0 ? current?.strength : undefined });
  }

  chooseOther(choice: 'tie' | 'both_bad'): boolean {
    if (!this.options.some((option) => option.choice === choice)) return false;
    this.set({ choice });
    return true;
  }

  /** Sets the magnitude on the active row; false when no side is chosen yet or it is out of range. */
  setStrength(strength: number): boolean {
    const current = this.answers[this.activeRow.name];
    if (strength < 1 || strength > this.levels) return false;
    if (current?.choice !== 'left' && current?.choice !== 'right') return false;
    this.set({ choice: current.choice, strength });
    return true;
  }

  moveRow(step: number): void {
    this.active = Math.min(this.rows.length - 1, Math.max(0, this.active + step));
  }

  private set(answer: Partial<Answer>): void {
    const row = this.activeRow;
    this.answers[row.name] = answer;
    // A finished row hands the keyboard to the next one, so a rater never has to reach for Tab.
    if (this.isAnswered(row) && this.active < this.rows.length - 1) this.active++;
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
