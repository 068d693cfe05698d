// Recognises a JSON upload's format from the keys of its first record.
import type { RecordFormat } from './types';

/** The first rule whose keys the record has wins; null when none matches. */
const RULES: [RecordFormat, string[]][] = [
  ['native', ['responses']],
  ['oasst', ['message_tree_id', 'prompt']],
  ['hh-rlhf', ['chosen', 'rejected']],
  ['chatbot-arena', ['conversation_a', 'conversation_b']],
  ['alpaca-eval', ['output_1', 'output_2']],
  // Prompts awaiting responses (for a generation job).
  ['native', ['prompt']],
  ['native', ['messages']],
];

export function detectJsonFormat(value: unknown): RecordFormat | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  return RULES.find(([, keys]) => keys.every((key) => Object.hasOwn(value, key)))?.[0] ?? null;
}

/** CSV when the content type says so, or when an untyped upload does not start like JSON. */
export function looksLikeCsv(contentType: string | undefined, firstByte: number | undefined): boolean {
  const type = contentType?.split(';')[0]?.trim().toLowerCase() ?? '';
  if (type === 'text/csv' || type === 'application/csv') return true;
  const untyped = ['', 'text/plain', 'application/octet-stream'].includes(type);
  return untyped && firstByte !== undefined && firstByte !== 0x7b && firstByte !== 0x5b;
}
