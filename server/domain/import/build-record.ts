// Turns a format's parsed fields into an ImportRecord, or a skip reason when the record cannot be compared.
import { createHash } from 'node:crypto';
import type { ImportRecord, ImportResponse, KeyedResponse, RecordRules, SkipReason, Turn } from './types';

export type RecordOutcome = { record: ImportRecord } | { skip: SkipReason };
export type RecordFields = Omit<ImportRecord, 'key' | 'responses'> & { responses: ImportResponse[] };

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

/**
 * A response's identity within its prompt: 'id:' + its external id when it has one, else
 * 'model:' + model + '#' + n, n counting that model's responses in the record from 0. Importing the same
 * file again finds the same keys; a second file with another model's responses adds them.
 */
export function responseKey(response: ImportResponse, sample: number): string {
  return response.externalId === null ? `model:${response.model}#${sample}` : `id:${response.externalId}`;
}

export function keyResponses(responses: readonly ImportResponse[]): KeyedResponse[] {
  const seen = new Map<string, number>();
  return responses.map((r) => {
    const sample = seen.get(r.model) ?? 0;
    seen.set(r.model, sample + 1);
    return { ...r, key: responseKey(r, sample) };
  });
}

/** The rules of an upload, with the defaults for what the uploader did not choose. */
export function recordRules(options: Partial<RecordRules>): RecordRules {
  return { emptyResponses: options.emptyResponses ?? 'skip' };
}

/**
 * The rules every format shares, checked in this order: a blank last user turn (emptyPrompt); no
 * responses at all is a prompt awaiting responses (kept); two responses with one external id
 * (duplicateResponseId) or, in a record whose gold, pairs or reference label names responses by model,
 * with one model name (duplicateModel; elsewhere they are two samples of that model); a blank response
 * (emptyResponse: the whole record goes, as a comparison with it would be meaningless; unless
 * `rules.emptyResponses` is `keep`, where answering nothing is an outcome to compare like any other, as
 * long as some response in the record is not blank),
 * fewer than two responses (tooFewResponses), and responses that are all the same text (identicalPair).
 */
export function buildRecord(fields: RecordFields, rules: RecordRules): RecordOutcome {
  const { context, responses } = fields;
  const skip = skipReason(fields, rules);
  if (skip) return { skip };
  return { record: { key: fields.externalId ?? promptKey(context), ...fields, responses: keyResponses(responses) } };
}

function skipReason({ context, responses, gold, pairs, reference }: RecordFields, rules: RecordRules): SkipReason | null {
  if (context.at(-1)?.content.trim() === '') return 'emptyPrompt';
  if (responses.length === 0) return null;
  const ids = responses.flatMap((r) => (r.externalId === null ? [] : [r.externalId]));
  if (new Set(ids).size < ids.length) return 'duplicateResponseId';
  const namedByModel = gold !== null || pairs !== null || reference !== null;
  if (namedByModel && new Set(responses.map((r) => r.model)).size < responses.length) return 'duplicateModel';
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
