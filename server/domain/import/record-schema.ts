// Zod helpers shared by the format parsers: ids, turns, and error messages that name the field to fix.
import { z } from 'zod';
import { RecordError } from './record-error';

/**
 * An id may be a string or a whole number; numbers become strings. A number past 2^53 has already
 * lost digits in any JSON parser, so it is refused rather than silently changed.
 */
export const ZExternalId = z.union([z.string().min(1), z.number()]).transform((id, ctx) => {
  if (typeof id === 'string') return id;
  if (!Number.isSafeInteger(id)) {
    ctx.addIssue({
      code: 'custom',
      message: 'a numeric id must be a whole number below 2^53 (larger ones lose digits in JSON): write the id as a string',
    });
    return z.NEVER;
  }
  return String(id);
});

export const ZRole = z.enum(['system', 'user', 'assistant']);
export const ZTurn = z.strictObject({ role: ZRole, content: z.string() });
export const ZMetadata = z.record(z.string(), z.unknown());

/** Parses `value` or throws a RecordError listing the first problems as `field: what is wrong`. */
export function parseRecord<T extends z.ZodType>(schema: T, value: unknown, what: string): z.output<T> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new RecordError(`each ${what} must be a JSON object, not ${describe(value)}`);
  }
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new RecordError(formatIssues(result.error.issues));
}

function formatIssues(issues: readonly z.core.$ZodIssue[]): string {
  const shown = issues.slice(0, 3).map((issue) => {
    const field = issue.path.length ? issue.path.map(String).join('.') : 'record';
    return `${field}: ${humanMessage(issue)}`;
  });
  const more = issues.length > 3 ? ` (and ${issues.length - 3} more problems)` : '';
  return shown.join('; ') + more;
}

function humanMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type' && /received undefined/.test(issue.message)) return 'is missing';
  if (issue.code === 'unrecognized_keys') return `unknown field(s) ${issue.keys.join(', ')}`;
  return issue.message.replace(/^Invalid input: /, '');
}

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'string' ? 'a string' : `${typeof value === 'object' ? 'an' : 'a'} ${typeof value}`;
}
