// Turns a format's parsed fields into an ImportRecord, or a skip reason when the record cannot be compared.
import { createHash } from 'node:crypto';
import type { ImportRecord, RecordRules, SkipReason, Turn } from './types';

export type RecordOutcome = { record: ImportRecord } | { skip: SkipReason };
export type RecordFields = Omit<ImportRecord, 'key'>;

/**
 * The identity of a prompt that has no external id: 'sha256:' + the hex SHA-256 of
 * JSON.stringify([{role, content}, ...]) where each content is NFC-normalised and trimmed, so that the
 * same conversation saved by different tools (NFD accents, trailing newlines) is the same prompt.
 * Only the key is normalised; the stored context keeps the file's exact text.
 */
export function promptKey(context: readonly Turn[]): string {
  const normalised = context.map(({ role, content }) => ({ role, content: content.normalize('NFC').trim() }));
  return 'sha256:' + createHash('sha256').update(JSON.stringify(normalised)).digest('hex');
}

/** The rules of an upload, with the defaults for what the uploader did not choose. */
export function recordRules(options: Partial<RecordRules>): RecordRules {
  return { emptyResponses: options.emptyResponses ?? 'skip' };
}

/**
 * The rules every format shares, checked in this order: a blank last user turn (emptyPrompt), two
 * responses with one model name (duplicateModel: responses are keyed by model), a blank response
 * (emptyResponse: the whole record goes, as a comparison with it would be meaningless; unless
 * `rules.emptyResponses` is `keep`, where answering nothing is an outcome to compare like any other, as
 * long as some response in the record is not blank),
 * fewer than two responses (tooFewResponses), and responses that are all the same text (identicalPair).
 */
export function buildRecord(fields: RecordFields, rules: RecordRules): RecordOutcome {
  const { context, responses } = fields;
  const skip = skipReason(context, responses, rules);
  if (skip) return { skip };
  return { record: { key: fields.externalId ?? promptKey(context), ...fields } };
}

function skipReason(context: readonly Turn[], responses: RecordFields['responses'], rules: RecordRules): SkipReason | null {
  if (context.at(-1)?.content.trim() === '') return 'emptyPrompt';
  if (new Set(responses.map((r) => r.model)).size < responses.length) return 'duplicateModel';
  const blank = responses.filter((r) => r.content.trim() === '').length;
  // Kept blank responses still need an answer to be compared with: a record of blanks alone goes.
  if (blank > 0 && (rules.emptyResponses === 'skip' || blank === responses.length)) return 'emptyResponse';
  if (responses.length < 2) return 'tooFewResponses';
  if (responses.every((r) => r.content === responses[0]!.content)) return 'identicalPair';
  return null;
}

/** Fields left over after a format took the ones it knows, as record or response metadata. */
export function leftover(value: Record<string, unknown>, known: readonly string[]): Record<string, unknown> | null {
  const rest = Object.fromEntries(Object.entries(value).filter(([key]) => !known.includes(key)));
  return Object.keys(rest).length ? rest : null;
}
