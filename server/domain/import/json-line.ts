// Parses the JSON text of one record strictly, with messages that say what to fix and where.
import { textProblem } from '../../contract/safe-text';
import { RecordError } from './record-error';

/** Arrays and objects inside one another, at most: real records nest a few levels; thousands overflow the stack. */
export const MAX_JSON_DEPTH = 100;

/**
 * JSON.parse plus the checks it does not make: no `__proto__` keys (they would replace an object's
 * prototype when a record is later copied), no key twice in one object (JSON.parse keeps the last one
 * silently), no nesting deeper than MAX_JSON_DEPTH, no NUL characters and no unpaired surrogates
 * (escaped as `\u0000` or `\ud800`), which Postgres text cannot hold.
 * `cutShort`: the text is the file's last line and had no line break, so it may be a truncated upload.
 */
export function parseJsonLine(text: string, cutShort: boolean): unknown {
  const rawProblem = textProblem(text);
  // eslint-disable-next-line no-control-regex -- finding the NUL we refuse is the point
  if (rawProblem) throw new RecordError(rawProblem, firstIndex(text, /[\u0000\uD800-\uDFFF]/));
  const structure = scanStructure(text);
  let value: unknown;
  try {
    value = JSON.parse(text, checkKeysAndStrings);
  } catch (error) {
    if (error instanceof RecordError) throw new RecordError(error.message, firstIndex(text, BAD_ESCAPE));
    throw jsonSyntaxError(error as Error, cutShort);
  }
  // Reported once the line is known to be JSON, so a syntax error is named first.
  if (structure.duplicate) throw structure.duplicate;
  return value;
}

/** A string token (with the colon after it when it is a key), or a bracket; JSON has no quote outside strings. */
const TOKEN = /"[^"\\]*(?:\\[\s\S][^"\\]*)*"(\s*:)?|[[\]{}]/g;

/**
 * One pass over the text before JSON.parse: refuses nesting past MAX_JSON_DEPTH (the reviver recurses
 * and would overflow the stack), and finds the first key repeated within one object (decoded, so
 * "a" and "\u0061" are the same key).
 */
function scanStructure(text: string): { duplicate: RecordError | null } {
  const objects: (Set<string> | null)[] = [];
  let duplicate: RecordError | null = null;
  for (const match of text.matchAll(TOKEN)) {
    const token = match[0];
    const first = token.charCodeAt(0);
    if (first === 0x7b || first === 0x5b) {
      objects.push(first === 0x7b ? new Set() : null);
      if (objects.length > MAX_JSON_DEPTH) {
        throw new RecordError(`nested too deeply: more than ${MAX_JSON_DEPTH} levels of arrays and objects`, match.index + 1);
      }
    } else if (first === 0x7d || first === 0x5d) {
      objects.pop();
    } else if (match[1] !== undefined && !duplicate) {
      const keys = objects.at(-1);
      if (!keys) continue;
      const quoted = token.slice(0, token.length - match[1].length);
      const key = quoted.includes('\\') ? decodeKey(quoted) : quoted.slice(1, -1);
      if (keys.has(key)) duplicate = new RecordError(`the key ${JSON.stringify(key)} appears twice in one object: keep one`, match.index + 1);
      keys.add(key);
    }
  }
  return { duplicate };
}

function decodeKey(quoted: string): string {
  try {
    return JSON.parse(quoted) as string;
  } catch {
    return quoted; // not valid JSON: JSON.parse of the whole line reports it
  }
}

// Where the reviver's complaint most likely sits: an escaped NUL or an escaped surrogate without its partner.
const BAD_ESCAPE =
  /\\u0000|\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F])|(?<!\\u[dD][89abAB][0-9a-fA-F]{2})\\u[dD][c-fC-F][0-9a-fA-F]{2}|"__proto__"/;

function checkKeysAndStrings(key: string, value: unknown): unknown {
  if (key === '__proto__') throw new RecordError('the key "__proto__" is not allowed: rename it');
  const problem = textProblem(key) ?? (typeof value === 'string' ? textProblem(value) : null);
  if (problem) {
    throw new RecordError(`a key or string ${problem}: remove it`);
  }
  return value;
}

function firstIndex(text: string, pattern: RegExp): number | undefined {
  const index = text.search(pattern);
  return index < 0 ? undefined : index + 1;
}

// V8's messages quote the whole input and speak of "positions"; say it in the user's terms instead.
function jsonSyntaxError(error: Error, cutShort: boolean): RecordError {
  const message = error.message;
  if (message.startsWith('Unexpected end of JSON input') || /Unterminated string/.test(message)) {
    return new RecordError(
      cutShort
        ? 'not valid JSON: the file ends in the middle of this record (was the upload cut short?)'
        : 'not valid JSON: the record ends too early (an unclosed string, array or object?)',
    );
  }
  const position = /at position (\d+)/.exec(message);
  const token = /^Unexpected token '(.+?)', /s.exec(message);
  const detail = token
    ? `unexpected character '${token[1]}'`
    : message
        .replace(/ in JSON at position \d+.*$/s, '')
        .replace(/, ".*" is not valid JSON$/s, '')
        .replace(/ \(line \d+ column \d+\)$/, '');
  return new RecordError(
    `not valid JSON: ${detail.charAt(0).toLowerCase()}${detail.slice(1)}`,
    position ? Number(position[1]) + 1 : undefined,
  );
}
