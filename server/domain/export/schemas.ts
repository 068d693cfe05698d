// Strict zod schemas of every export line (no extra fields): the line builders' return types and the tests' oracle.

import { z } from 'zod';
import type { ExportFormat, PromptStyle } from './types';

const ZChoice = z.enum(['A', 'B', 'TIE', 'BOTH_BAD']);
const ZTurn = z.strictObject({ role: z.enum(['system', 'user', 'assistant']), content: z.string() });
const ZReply = z.strictObject({ role: z.literal('assistant'), content: z.string() });
/** TRL's RewardTrainer reads an optional margin; ours is scaled to 0..1 (see aggregate.ts). */
const ZMargin = z.number().min(0).max(1).optional();
/** A line that comes from a ranking task carries the task's id, so a trainer can batch its pairs together. */
const ZGroupId = z.string().optional();

export const ZTrlStandardExplicitLine = z.strictObject({
  prompt: z.string(),
  chosen: z.string(),
  rejected: z.string(),
  margin: ZMargin,
  group_id: ZGroupId,
});
export const ZTrlStandardImplicitLine = z.strictObject({ chosen: z.string(), rejected: z.string(), margin: ZMargin, group_id: ZGroupId });

export const ZTrlConversationalExplicitLine = z.strictObject({
  prompt: z.array(ZTurn).min(1),
  chosen: z.tuple([ZReply]),
  rejected: z.tuple([ZReply]),
  margin: ZMargin,
  group_id: ZGroupId,
});
const ZConversation = z.array(ZTurn).min(2);
export const ZTrlConversationalImplicitLine = z.strictObject({
  chosen: ZConversation,
  rejected: ZConversation,
  margin: ZMargin,
  group_id: ZGroupId,
});

export const ZKtoStandardLine = z.strictObject({ prompt: z.string(), completion: z.string(), label: z.boolean(), group_id: ZGroupId });
export const ZKtoConversationalLine = z.strictObject({
  prompt: z.array(ZTurn).min(1),
  completion: z.tuple([ZReply]),
  label: z.boolean(),
  group_id: ZGroupId,
});

export const ZHhRlhfLine = z.strictObject({ chosen: z.string(), rejected: z.string(), group_id: ZGroupId });

export const ZOpenAiDpoLine = z.strictObject({
  input: z.strictObject({
    messages: z.array(ZTurn).min(1),
    tools: z.tuple([]),
    parallel_tool_calls: z.boolean(),
  }),
  preferred_output: z.tuple([ZReply]),
  non_preferred_output: z.tuple([ZReply]),
  group_id: ZGroupId,
});

/** A ranking task's responses aggregated by juxta-rank-1 (see ranking.ts). */
export const ZRankingLine = z.strictObject({
  group_id: z.string(),
  prompt: z.array(ZTurn).min(1),
  responses: z.array(z.string()).min(2),
  models: z.array(z.string()).min(2),
  ranking: z.array(z.number().int().nonnegative()).min(2),
  ties: z.array(z.array(z.number().int().nonnegative()).min(2)),
  scores: z.array(z.number().nonnegative()),
  judgments: z.number().int().positive(),
  all_bad: z.number().int().nonnegative(),
});

const ZIsoTimestamp = z.iso.datetime();
const ZShownResponse = z.strictObject({
  model: z.string(),
  content: z.string(),
  shown: z.enum(['left', 'right']),
  /** A response a Juxta generation job made: the endpoint, model id and parameters (null: imported). */
  generation: z
    .strictObject({
      endpoint: z.string(),
      model: z.string(),
      params: z.record(z.string(), z.unknown()),
      sample: z.number().int().nonnegative(),
      finish_reason: z.string().nullable(),
      truncated: z.boolean(),
    })
    .nullable(),
});
const ZRawAnswer = z.strictObject({ choice: ZChoice, strength: z.number().int().positive().nullable() });
/** Groups of slot indexes (the task's canonical order), best first; a group of several is a tie. */
const ZSlotGroups = z.array(z.array(z.number().int().nonnegative()).min(1)).min(1);
/** A ranking judgment as made: its groups, all bad, the order its cards were shown in, and the task's responses by slot. */
const ZRawRanking = z.strictObject({
  groups: ZSlotGroups,
  all_bad: z.boolean(),
  /** The slot of each card, in the order the cards were shown. */
  shown_order: z.array(z.number().int().nonnegative()).min(2),
  responses: z.array(ZShownResponse.omit({ shown: true })).min(2),
});

export const ZRawLine = z.strictObject({
  judgment_id: z.string(),
  comparison_id: z.string(),
  prompt_key: z.string(),
  context: z.array(ZTurn),
  response_a: ZShownResponse,
  response_b: ZShownResponse,
  choice: ZChoice,
  strength: ZRawAnswer.shape.strength,
  /** Per criterion: a choice (a pair) or a ranking's groups of slots (a ranking task). */
  criteria: z.record(z.string(), z.union([ZRawAnswer, z.strictObject({ ranking: ZSlotGroups })])).nullable(),
  /** A ranking task's judgment; null for a pair (choice and strength say it all). */
  ranking: ZRawRanking.nullable(),
  rationale: z.string().nullable(),
  rater: z.string(),
  time_on_task_ms: z.number().int().nonnegative().nullable(),
  guideline_version: z.string().nullable(),
  is_gold: z.boolean(),
  /** The label that came with the file (AlpacaEval preference, Arena winner, HH chosen, native reference), canonical A/B. */
  reference: z.strictObject({ choice: ZChoice, source: z.string() }).nullable(),
  assigned_at: ZIsoTimestamp,
  judged_at: ZIsoTimestamp,
  undone_at: ZIsoTimestamp.nullable(),
  excluded: z.boolean(),
});

export type TTrlStandardExplicitLine = z.infer<typeof ZTrlStandardExplicitLine>;
export type TTrlStandardImplicitLine = z.infer<typeof ZTrlStandardImplicitLine>;
export type TTrlConversationalExplicitLine = z.infer<typeof ZTrlConversationalExplicitLine>;
export type TTrlConversationalImplicitLine = z.infer<typeof ZTrlConversationalImplicitLine>;
export type TKtoStandardLine = z.infer<typeof ZKtoStandardLine>;
export type TKtoConversationalLine = z.infer<typeof ZKtoConversationalLine>;
export type THhRlhfLine = z.infer<typeof ZHhRlhfLine>;
export type TOpenAiDpoLine = z.infer<typeof ZOpenAiDpoLine>;
export type TRawLine = z.infer<typeof ZRawLine>;

/** The schema every line of an export in this format and prompt style must satisfy. */
export function lineSchemaFor(format: ExportFormat, prompt: PromptStyle): z.ZodType {
  switch (format) {
    case 'raw':
      return ZRawLine;
    case 'trl':
      return prompt === 'implicit' ? ZTrlStandardImplicitLine : ZTrlStandardExplicitLine;
    case 'trl-conversational':
      return prompt === 'implicit' ? ZTrlConversationalImplicitLine : ZTrlConversationalExplicitLine;
    case 'kto':
      return ZKtoStandardLine;
    case 'kto-conversational':
      return ZKtoConversationalLine;
    case 'hh-rlhf':
      return ZHhRlhfLine;
    case 'openai-dpo':
      return ZOpenAiDpoLine;
    case 'ranking':
      return ZRankingLine;
  }
}
