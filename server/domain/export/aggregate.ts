// Turns a comparison's counted judgments into one outcome for the pair formats, by a versioned rule.

import { EXPORT_DEFAULTS } from '../../contract/exports';
import type { Choice, CountedJudgment, CriterionAnswer } from './types';

/**
 * Rule juxta-agg-1. Bump the version whenever any step below changes what an export contains.
 *
 * 1. Answers: the overall answer of each judgment, or with `criterion` set, that criterion's answer;
 *    a judgment without that criterion does not count. `n` is the number of answers.
 * 2. Fewer than `minJudgments` answers: dropped (`too-few-judgments`).
 * 3. Score of each outcome (A, B, TIE, BOTH_BAD): `majority` adds 1 per answer; `strength-weighted`
 *    adds the answer's strength level (1..maxStrength, clamped) for A and B, and 1 for TIE, BOTH_BAD
 *    and answers without strength, so a tie weighs as much as the weakest preference.
 * 4. The winner is the outcome with the highest score; if two outcomes share it: dropped (`split-vote`).
 * 5. A TIE or BOTH_BAD winner is dropped (`tie`, `both-bad`) unless `ties` / `bothBad` is `keep`.
 * 6. `agreement` is the share of answers (counted, not weighted) whose choice is the winner;
 *    below `minAgreement`: dropped (`low-agreement`).
 * With `adjudication` = `prefer`, a comparison with an admin's adjudicated answer standing as of asOf takes that
 * answer as its outcome instead of steps 3-4 and 6 (step 5 still applies; `agreement` is the share of answers
 * equal to it, `margin` 0). The default, `ignore`, leaves the rule as above.
 *
 * 7. `margin` (0..1) is, for an A or B winner, the mean over the answers choosing the winner of
 *    (strength - 1) / (maxStrength - 1): the weakest level is 0 and the strongest 1, as in Llama 2's
 *    reward-model margins. Dissenting answers lower `agreement`, not `margin`. It is 0 for TIE and
 *    BOTH_BAD, and on scales without strength levels (maxStrength null or 1).
 */
export const AGGREGATION_RULE_VERSION = 'juxta-agg-1';

export type AggregationMethod = 'majority' | 'strength-weighted';
export type KeepOrDrop = 'keep' | 'drop';

export interface AggregationOptions {
  method: AggregationMethod;
  minJudgments: number;
  /** 0..1 */
  minAgreement: number;
  ties: KeepOrDrop;
  bothBad: KeepOrDrop;
  /** A criterion's name, or null for the overall answer. */
  criterion: string | null;
  /** prefer: an adjudicated answer replaces the majority. */
  adjudication: 'ignore' | 'prefer';
}

export const DEFAULT_AGGREGATION: Readonly<AggregationOptions> = Object.freeze({
  method: EXPORT_DEFAULTS.aggregation,
  /** The rule's own floor; an export without minJudgments asks for the campaign's k (prepare-export.ts). */
  minJudgments: 1,
  minAgreement: EXPORT_DEFAULTS.minAgreement,
  ties: EXPORT_DEFAULTS.ties,
  bothBad: EXPORT_DEFAULTS.bothBad,
  criterion: null,
  adjudication: 'ignore',
});

export type DropReason = 'too-few-judgments' | 'split-vote' | 'tie' | 'both-bad' | 'low-agreement';

export interface AggregatedOutcome {
  kept: true;
  outcome: Choice;
  agreement: number;
  n: number;
  margin: number;
}

export interface DroppedComparison {
  kept: false;
  reason: DropReason;
  n: number;
}

export type AggregationResult = AggregatedOutcome | DroppedComparison;

const OUTCOMES: readonly Choice[] = ['A', 'B', 'TIE', 'BOTH_BAD'];

function answerOf(judgment: CountedJudgment, criterion: string | null): CriterionAnswer | undefined {
  return criterion === null ? judgment : judgment.criteria?.[criterion];
}

function levelOf(answer: CriterionAnswer, maxStrength: number | null): number {
  if (answer.strength === null || maxStrength === null) return 1;
  return Math.min(Math.max(answer.strength, 1), maxStrength);
}

function weightOf(answer: CriterionAnswer, maxStrength: number | null, method: AggregationMethod): number {
  const decided = answer.choice === 'A' || answer.choice === 'B';
  return method === 'strength-weighted' && decided ? levelOf(answer, maxStrength) : 1;
}

function marginOf(winning: readonly CriterionAnswer[], winner: Choice, maxStrength: number | null): number {
  if ((winner !== 'A' && winner !== 'B') || maxStrength === null || maxStrength <= 1) return 0;
  const scaled = winning.map((answer) => (levelOf(answer, maxStrength) - 1) / (maxStrength - 1));
  return scaled.reduce((sum, value) => sum + value, 0) / scaled.length;
}

/** Applies rule juxta-agg-1 (see AGGREGATION_RULE_VERSION) to one comparison's counted judgments. */
export function aggregate(
  judgments: readonly CountedJudgment[],
  maxStrength: number | null,
  options: AggregationOptions,
): AggregationResult {
  const answers = judgments
    .map((judgment) => answerOf(judgment, options.criterion))
    .filter((answer): answer is CriterionAnswer => answer !== undefined);
  const n = answers.length;
  if (n === 0 || n < options.minJudgments) return { kept: false, reason: 'too-few-judgments', n };

  const scores = new Map<Choice, number>(OUTCOMES.map((outcome) => [outcome, 0]));
  for (const answer of answers) {
    scores.set(answer.choice, scores.get(answer.choice)! + weightOf(answer, maxStrength, options.method));
  }
  const best = Math.max(...scores.values());
  const leaders = OUTCOMES.filter((outcome) => scores.get(outcome) === best);
  if (leaders.length > 1) return { kept: false, reason: 'split-vote', n };
  const outcome = leaders[0]!;

  if (outcome === 'TIE' && options.ties === 'drop') return { kept: false, reason: 'tie', n };
  if (outcome === 'BOTH_BAD' && options.bothBad === 'drop') return { kept: false, reason: 'both-bad', n };

  const winning = answers.filter((answer) => answer.choice === outcome);
  const agreement = winning.length / n;
  if (agreement < options.minAgreement) return { kept: false, reason: 'low-agreement', n };

  return { kept: true, outcome, agreement, n, margin: marginOf(winning, outcome, maxStrength) };
}

/** The outcome of a comparison an admin adjudicated (`adjudication` = `prefer`): the rule's step 5 still applies. */
export function adjudicatedOutcome(judgments: readonly CountedJudgment[], adjudicated: Choice, options: AggregationOptions): AggregationResult {
  const answers = judgments.map((judgment) => answerOf(judgment, options.criterion)).filter((answer): answer is CriterionAnswer => answer !== undefined);
  const n = answers.length;
  if (adjudicated === 'TIE' && options.ties === 'drop') return { kept: false, reason: 'tie', n };
  if (adjudicated === 'BOTH_BAD' && options.bothBad === 'drop') return { kept: false, reason: 'both-bad', n };
  const agreement = n === 0 ? 0 : answers.filter((answer) => answer.choice === adjudicated).length / n;
  return { kept: true, outcome: adjudicated, agreement, n, margin: 0 };
}
