// Inputs of the export rules: what the export service reads from the database, in canonical terms.

export type Role = 'system' | 'user' | 'assistant';

export interface Turn {
  role: Role;
  content: string;
}

/** A judgment's answer in canonical terms: A and B are the comparison's stored order, never the screen's. */
export type Choice = 'A' | 'B' | 'TIE' | 'BOTH_BAD';

/** The outcomes a {chosen, rejected} pair can express. */
export type DecidedChoice = 'A' | 'B';

export interface CandidateResponse {
  model: string;
  content: string;
  /** Which endpoint, model and parameters produced it, when a generation job did (null: imported). */
  generation: ResponseGeneration | null;
}

/** A generated response's provenance, as exports write it. */
export interface ResponseGeneration {
  /** The endpoint's display name (the response's model label). */
  endpoint: string;
  /** The model id sent to the endpoint. */
  model: string;
  /** The parameters sent: the endpoint's defaults with the job's overrides. */
  params: Record<string, unknown>;
  sample: number;
  finishReason: string | null;
  truncated: boolean;
}

/** One comparison with its prompt context and its two responses in canonical order. */
export interface ExportComparison {
  comparisonId: string;
  promptKey: string;
  context: Turn[];
  a: CandidateResponse;
  b: CandidateResponse;
  isGold: boolean;
  /** A label that came with the file (canonical A/B), or null; raw exports carry it. */
  reference: { choice: Choice; source: string } | null;
}

export interface CriterionAnswer {
  choice: Choice;
  /** Magnitude 1..n in the chosen direction; null for a tie, both-bad, or a scale without strength. */
  strength: number | null;
}

/** A judgment that counts as of the export's asOf (not undone, rater not excluded). */
export interface CountedJudgment extends CriterionAnswer {
  criteria: Record<string, CriterionAnswer> | null;
  raterPseudonym: string;
  createdAt: Date;
}

/** A ranking task's judgment as made, in slots (the task's canonical order). */
export interface RawRanking {
  /** Groups of slots, best first. */
  groups: number[][];
  allBad: boolean;
  /** The slot of each card, in the order shown. */
  shownOrder: number[];
  /** The task's responses by slot. */
  responses: CandidateResponse[];
  /** Each criterion's groups of slots, when the design has criteria. */
  criteria: Record<string, number[][]> | null;
}

/** One judgment for the `raw` format, counted or not: raw keeps everything and says what was undone or excluded. */
export interface RawJudgment extends CountedJudgment {
  judgmentId: string;
  comparison: ExportComparison;
  /** A ranking task's judgment (null for a pair's). */
  ranking: RawRanking | null;
  /** Which canonical response the rater saw on the left. */
  leftSide: DecidedChoice;
  rationale: string | null;
  timeOnTaskMs: number | null;
  guidelineVersion: string | null;
  assignedAt: Date;
  undoneAt: Date | null;
  /** The rater was excluded from the campaign as of asOf. */
  excluded: boolean;
}

export { EXPORT_FORMATS, type ExportFormat, type PairFormat } from '../../contract/exports';

/** explicit: a separate prompt field; implicit: the prompt repeated inside chosen and rejected. */
export type { PromptStyle } from '../../contract/exports';
