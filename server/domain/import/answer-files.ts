// Eval-harness answer files: one questions file and one answers file per model, joined by prompt id.
import { z } from 'zod';
import { buildRecord, leftover, recordRules } from './build-record';
import { readJsonItems } from './json-records';
import { outcomeEvent, Progress, uploadError } from './import-events';
import { RecordError } from './record-error';
import { parseRecord, ZExternalId, ZTurn } from './record-schema';
import type { ImportEvent, ImportResponse, ParseLimits, RecordRules, Turn } from './types';

/**
 * Field names built in: arena-hard (`uid`, `prompt`; answers `model`, `ans_id`, `messages` whose
 * last assistant `content` may be `{answer}`) and FastChat's eval tables (`question_id`, `text` or
 * `turns`; answers `model_id`, `answer_id`, `text` or `choices[0].turns`). A multi-turn question
 * (several `turns`) is skipped as divergentContext: each model's later turns follow its own answers.
 */
const ID_FIELDS = ['uid', 'question_id', 'id'] as const;

const ZAnswerContent = z.union([z.string(), z.looseObject({ answer: z.string() }).transform((c) => c.answer)]);

const ZQuestion = z.looseObject({
  prompt: z.string().optional(),
  text: z.string().optional(),
  turns: z.array(z.string()).min(1).optional(),
  messages: z.array(ZTurn).min(1).optional(),
});

const ZAnswer = z.looseObject({
  model: z.string().min(1).optional(),
  model_id: z.string().min(1).optional(),
  ans_id: ZExternalId.optional(),
  answer_id: ZExternalId.optional(),
  text: z.string().optional(),
  messages: z.array(z.looseObject({ role: z.string(), content: ZAnswerContent })).min(1).optional(),
  choices: z.array(z.looseObject({ turns: z.array(z.string()).min(1) })).min(1).optional(),
});

export type AnswerFile = { name: string; stream: AsyncIterable<Uint8Array> };

type Question = { line: number; id: string; context: Turn[] | null; metadata: Record<string, unknown> | null };

/**
 * Yields the same events as `parseUpload`, records in the questions file's order. The join holds
 * the questions and answers in memory (eval sets are thousands of prompts, not millions), bounded by
 * `maxUploadBytes` across all parts.
 */
export async function* joinAnswerFiles(
  questions: AsyncIterable<Uint8Array> | undefined,
  answers: readonly AnswerFile[],
  options: ParseLimits & Partial<RecordRules> = {},
): AsyncGenerator<ImportEvent> {
  if (!questions) return yield uploadError('IMPORT_INVALID', 'answer files need a questions file: add the questions part');
  if (answers.length === 0) return yield uploadError('IMPORT_INVALID', 'answer files need at least one answers file per model');
  const progress = new Progress(options);
  const rules = recordRules(options);
  const byId = new Map<string, Question>();
  for await (const item of readJsonItems(progress.input(questions), false, progress.maxLineBytes)) {
    if ('error' in item) {
      yield { type: 'error', line: item.line, column: item.error.column, message: item.error.message, file: 'questions' };
      continue;
    }
    try {
      const question = toQuestion(item.value, item.line);
      if (byId.has(question.id)) throw new RecordError(`the question id "${question.id}" appears twice`);
      byId.set(question.id, question);
    } catch (error) {
      if (!(error instanceof RecordError)) throw error;
      yield { type: 'error', line: item.line, column: error.column, message: error.message, file: 'questions' };
    }
  }
  const responses = new Map<string, ImportResponse[]>();
  for (const file of answers) {
    for await (const item of readJsonItems(progress.input(file.stream), false, progress.maxLineBytes)) {
      const problem = 'error' in item ? item.error : addAnswer(item.value, file.name, byId, responses);
      if (problem) yield { type: 'error', line: item.line, column: problem.column, message: problem.message, file: file.name };
    }
  }
  for (const question of byId.values()) {
    const { line, id, context, metadata } = question;
    const event: ImportEvent = context
      ? outcomeEvent(line, () =>
          buildRecord({ line, externalId: id, context, responses: responses.get(id) ?? [], metadata, gold: null, pairs: null, reference: null }, rules),
        )
      : { type: 'skip', line, reason: 'divergentContext', file: 'questions' };
    yield event;
    yield* progress.after(event);
  }
  yield* progress.finish();
}

function idOf(value: Record<string, unknown>): string {
  const field = ID_FIELDS.find((name) => value[name] !== undefined);
  if (!field) throw new RecordError(`missing the prompt id: one of ${ID_FIELDS.join(', ')}`);
  const id = ZExternalId.safeParse(value[field]);
  if (!id.success) throw new RecordError(`${field}: ${id.error.issues[0]!.message}`);
  return id.data;
}

function toQuestion(value: unknown, line: number): Question {
  const raw = parseRecord(ZQuestion, value, 'question');
  const id = idOf(raw);
  const metadata = leftover(raw, [...ID_FIELDS, 'prompt', 'text', 'turns', 'messages']);
  if (raw.turns && raw.turns.length > 1) return { line, id, context: null, metadata };
  const text = raw.prompt ?? raw.text ?? raw.turns?.[0];
  const context: Turn[] | undefined = raw.messages ?? (text === undefined ? undefined : [{ role: 'user', content: text }]);
  if (!context) throw new RecordError('the question has no text: give "prompt", "text", "turns" or "messages"');
  return { line, id, context, metadata };
}

function addAnswer(
  value: unknown,
  fileName: string,
  questions: Map<string, Question>,
  responses: Map<string, ImportResponse[]>,
): RecordError | null {
  try {
    const raw = parseRecord(ZAnswer, value, 'answer');
    const id = idOf(raw);
    if (!questions.has(id)) throw new RecordError(`the answer's prompt id "${id}" is not in the questions file`);
    const content = raw.messages?.findLast((m) => m.role === 'assistant')?.content ?? raw.text ?? raw.choices?.[0]?.turns[0];
    if (content === undefined) throw new RecordError('the answer has no text: give "messages", "text" or "choices"');
    const list = responses.get(id) ?? [];
    list.push({
      model: raw.model ?? raw.model_id ?? fileName,
      content,
      externalId: raw.ans_id ?? raw.answer_id ?? null,
      metadata: leftover(raw, [...ID_FIELDS, 'model', 'model_id', 'ans_id', 'answer_id', 'text', 'messages', 'choices']),
    });
    responses.set(id, list);
    return null;
  } catch (error) {
    if (error instanceof RecordError) return error;
    throw error;
  }
}
