// One line builder per export format; each returns a plain object whose JSON.stringify is the line.

import type { AggregatedOutcome } from './aggregate';
import type {
  THhRlhfLine,
  TKtoConversationalLine,
  TKtoStandardLine,
  TOpenAiDpoLine,
  TRawLine,
  TTrlConversationalExplicitLine,
  TTrlConversationalImplicitLine,
  TTrlStandardExplicitLine,
  TTrlStandardImplicitLine,
} from './schemas';
import { flattenTurns, plainPrompt, transcriptCompletion, transcriptPrompt } from './transcript';
import type {
  CandidateResponse,
  Choice,
  CriterionAnswer,
  DecidedChoice,
  ExportComparison,
  PairFormat,
  PromptStyle,
  RawJudgment,
  RawRanking,
  Turn,
} from './types';

/*
 * Ties and both-bad: a {chosen, rejected} line says one response is better, so trl, trl-conversational,
 * hh-rlhf and openai-dpo cannot express either and only take A or B outcomes (the export options refuse
 * keeping them for these formats). kto and kto-conversational take every outcome: a decided comparison
 * gives its chosen response with label true then its rejected one with label false, a kept both-bad gives
 * A then B, both with label false, and a kept tie gives no line (TRL's unpaired format has no neutral label).
 * The list of those formats is TIE_KEEPING_FORMATS in server/contract/exports.ts.
 */

export interface PairLineOptions {
  prompt: PromptStyle;
  /** Written as TRL's `margin` field when present (trl and trl-conversational only). */
  margin?: number;
}

interface Oriented {
  chosen: string;
  rejected: string;
}

function orient(comparison: ExportComparison, outcome: DecidedChoice): Oriented {
  const [chosen, rejected] = outcome === 'A' ? [comparison.a, comparison.b] : [comparison.b, comparison.a];
  return { chosen: chosen.content, rejected: rejected.content };
}

/** Plain turns, so extra properties of stored turns never leak into a strict line. */
function messages(turns: readonly Turn[]): Turn[] {
  return turns.map(({ role, content }) => ({ role, content }));
}

function reply(content: string): [{ role: 'assistant'; content: string }] {
  return [{ role: 'assistant', content }];
}

function transcript(context: readonly Turn[], response: string): string {
  return flattenTurns([...context, { role: 'assistant', content: response }]);
}

function withMargin<T extends object>(line: T, margin: number | undefined): T & { margin?: number } {
  return margin === undefined ? line : { ...line, margin };
}

type Explicit = PairLineOptions & { prompt: 'explicit' | 'plain' };
type Implicit = PairLineOptions & { prompt: 'implicit' };

/**
 * TRL preference, standard form: plain texts (prompt=plain, the default), or strings in the HH transcript
 * convention (explicit, implicit; see transcript.ts). A multi-turn prompt has no plain form: see PLAIN_PROMPT_CONVENTION.
 */
export function trlLine(c: ExportComparison, o: DecidedChoice, options: Explicit): TTrlStandardExplicitLine;
export function trlLine(c: ExportComparison, o: DecidedChoice, options: Implicit): TTrlStandardImplicitLine;
export function trlLine(
  c: ExportComparison,
  o: DecidedChoice,
  options: PairLineOptions,
): TTrlStandardExplicitLine | TTrlStandardImplicitLine;
export function trlLine(
  comparison: ExportComparison,
  outcome: DecidedChoice,
  options: PairLineOptions,
): TTrlStandardExplicitLine | TTrlStandardImplicitLine {
  const { chosen, rejected } = orient(comparison, outcome);
  const { context } = comparison;
  const plain = options.prompt === 'plain' ? plainPrompt(context) : null;
  const line =
    plain !== null
      ? { prompt: plain, chosen, rejected }
      : options.prompt !== 'implicit'
      ? {
          prompt: transcriptPrompt(context),
          chosen: transcriptCompletion(chosen),
          rejected: transcriptCompletion(rejected),
        }
      : { chosen: transcript(context, chosen), rejected: transcript(context, rejected) };
  return withMargin(line, options.margin);
}

/** TRL preference, conversational form: message lists. */
export function trlConversationalLine(
  c: ExportComparison,
  o: DecidedChoice,
  options: Explicit,
): TTrlConversationalExplicitLine;
export function trlConversationalLine(
  c: ExportComparison,
  o: DecidedChoice,
  options: Implicit,
): TTrlConversationalImplicitLine;
export function trlConversationalLine(
  c: ExportComparison,
  o: DecidedChoice,
  options: PairLineOptions,
): TTrlConversationalExplicitLine | TTrlConversationalImplicitLine;
export function trlConversationalLine(
  comparison: ExportComparison,
  outcome: DecidedChoice,
  options: PairLineOptions,
): TTrlConversationalExplicitLine | TTrlConversationalImplicitLine {
  const { chosen, rejected } = orient(comparison, outcome);
  const context = messages(comparison.context);
  const line =
    options.prompt !== 'implicit'
      ? { prompt: context, chosen: reply(chosen), rejected: reply(rejected) }
      : { chosen: [...context, ...reply(chosen)], rejected: [...context, ...reply(rejected)] };
  return withMargin(line, options.margin);
}

/** Anthropic HH-RLHF: the two full transcripts and nothing else. */
export function hhRlhfLine(comparison: ExportComparison, outcome: DecidedChoice): THhRlhfLine {
  const { chosen, rejected } = orient(comparison, outcome);
  return { chosen: transcript(comparison.context, chosen), rejected: transcript(comparison.context, rejected) };
}

/** OpenAI DPO fine-tuning: the context turns as input, the two responses as the final assistant message. */
export function openAiDpoLine(comparison: ExportComparison, outcome: DecidedChoice): TOpenAiDpoLine {
  const { chosen, rejected } = orient(comparison, outcome);
  return {
    input: { messages: messages(comparison.context), tools: [], parallel_tool_calls: true },
    preferred_output: reply(chosen),
    non_preferred_output: reply(rejected),
  };
}

function ktoLabels(comparison: ExportComparison, outcome: Choice): [CandidateResponse, boolean][] {
  const { a, b } = comparison;
  switch (outcome) {
    case 'A':
      return [[a, true], [b, false]];
    case 'B':
      return [[b, true], [a, false]];
    case 'BOTH_BAD':
      return [[a, false], [b, false]];
    case 'TIE':
      return [];
  }
}

/** One TRL unpaired line: a response to the context, desirable (label true) or not. */
export function ktoLine(format: 'kto', context: readonly Turn[], response: string, label: boolean): TKtoStandardLine;
export function ktoLine(format: 'kto-conversational', context: readonly Turn[], response: string, label: boolean): TKtoConversationalLine;
export function ktoLine(format: 'kto' | 'kto-conversational', context: readonly Turn[], response: string, label: boolean): TKtoStandardLine | TKtoConversationalLine;
export function ktoLine(format: 'kto' | 'kto-conversational', context: readonly Turn[], response: string, label: boolean): TKtoStandardLine | TKtoConversationalLine {
  return format === 'kto'
    ? { prompt: transcriptPrompt(context), completion: transcriptCompletion(response), label }
    : { prompt: messages(context), completion: reply(response), label };
}

/** TRL unpaired preference, standard (string) form. */
export function ktoLines(comparison: ExportComparison, outcome: Choice): TKtoStandardLine[] {
  return ktoLabels(comparison, outcome).map(([response, label]) => ktoLine('kto', comparison.context, response.content, label));
}

/** TRL unpaired preference, conversational form. */
export function ktoConversationalLines(comparison: ExportComparison, outcome: Choice): TKtoConversationalLine[] {
  return ktoLabels(comparison, outcome).map(([response, label]) => ktoLine('kto-conversational', comparison.context, response.content, label));
}

export interface PairExportOptions {
  prompt: PromptStyle;
  /** Add TRL's margin field (trl and trl-conversational only). */
  margin: boolean;
}

/**
 * The lines one aggregated comparison contributes to a pair-format export (zero, one or two).
 * Throws on a tie or both-bad outcome in a format that cannot express it: the export options prevent it.
 */
export function pairExportLines(
  format: PairFormat,
  comparison: ExportComparison,
  result: AggregatedOutcome,
  options: PairExportOptions,
): object[] {
  if (format === 'kto') return ktoLines(comparison, result.outcome);
  if (format === 'kto-conversational') return ktoConversationalLines(comparison, result.outcome);
  const { outcome } = result;
  if (outcome !== 'A' && outcome !== 'B') {
    throw new Error(`format ${format} cannot express a ${outcome} outcome (comparison ${comparison.comparisonId})`);
  }
  const lineOptions = { prompt: options.prompt, margin: options.margin ? result.margin : undefined };
  switch (format) {
    case 'trl':
      return [trlLine(comparison, outcome, lineOptions)];
    case 'trl-conversational':
      return [trlConversationalLine(comparison, outcome, lineOptions)];
    case 'hh-rlhf':
      return [hhRlhfLine(comparison, outcome)];
    case 'openai-dpo':
      return [openAiDpoLine(comparison, outcome)];
  }
}

function shown(response: CandidateResponse, side: DecidedChoice, leftSide: DecidedChoice) {
  return { ...described(response), shown: side === leftSide ? 'left' : 'right' } as const;
}

function described(response: CandidateResponse) {
  const { generation } = response;
  return {
    model: response.model,
    content: response.content,
    generation: generation && {
      endpoint: generation.endpoint,
      model: generation.model,
      params: generation.params,
      sample: generation.sample,
      finish_reason: generation.finishReason,
      truncated: generation.truncated,
    },
  };
}

function rawRanking(ranking: RawRanking): NonNullable<TRawLine['ranking']> {
  return { groups: ranking.groups, all_bad: ranking.allBad, shown_order: ranking.shownOrder, responses: ranking.responses.map(described) };
}

function plainCriteria(criteria: Record<string, CriterionAnswer>): Record<string, CriterionAnswer> {
  return Object.fromEntries(
    Object.entries(criteria).map(([name, { choice, strength }]) => [name, { choice, strength }]),
  );
}

/** One judgment, counted or not, with everything needed to audit or re-aggregate it. */
export function rawLine(judgment: RawJudgment): TRawLine {
  const { comparison } = judgment;
  return {
    judgment_id: judgment.judgmentId,
    comparison_id: comparison.comparisonId,
    prompt_key: comparison.promptKey,
    context: messages(comparison.context),
    response_a: shown(comparison.a, 'A', judgment.leftSide),
    response_b: shown(comparison.b, 'B', judgment.leftSide),
    choice: judgment.choice,
    strength: judgment.strength,
    criteria: judgment.ranking?.criteria ? Object.fromEntries(Object.entries(judgment.ranking.criteria).map(([name, groups]) => [name, { ranking: groups }])) : judgment.criteria && plainCriteria(judgment.criteria),
    ranking: judgment.ranking && rawRanking(judgment.ranking),
    rationale: judgment.rationale,
    rater: judgment.raterPseudonym,
    time_on_task_ms: judgment.timeOnTaskMs,
    guideline_version: judgment.guidelineVersion,
    is_gold: comparison.isGold,
    reference: comparison.reference,
    assigned_at: judgment.assignedAt.toISOString(),
    judged_at: judgment.createdAt.toISOString(),
    undone_at: judgment.undoneAt?.toISOString() ?? null,
    excluded: judgment.excluded,
  };
}
