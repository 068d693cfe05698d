// Streams the elements of a top-level JSON array as raw byte slices, so a large array never sits in memory whole.
import { LineBuffer, type RawLine } from './byte-lines';
import { RecordError } from './record-error';

const [OPEN_ARRAY, CLOSE_ARRAY, OPEN_OBJECT, CLOSE_OBJECT, QUOTE, BACKSLASH, COMMA, NEWLINE] = [
  0x5b, 0x5d, 0x7b, 0x7d, 0x22, 0x5c, 0x2c, 0x0a,
];
const isWhitespace = (b: number) => b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d;

/** Thrown when the array itself is broken (not one element): the rest of the upload cannot be read. */
export class ArrayStructureError extends RecordError {
  constructor(
    message: string,
    readonly fileLine: number,
  ) {
    super(message);
  }
}

type ArrayState = 'start' | 'before' | 'element' | 'after' | 'end';
// A function, so that TypeScript does not narrow `state` across the loop's yields.
const isOpen = (state: ArrayState) => state !== 'start' && state !== 'end';

export type ArrayElement = RawLine & { fileLine: number };

/**
 * Yields each element with `line` = its index + 1 and `fileLine` = the file line where it starts.
 * Only the array's own structure is checked here (brackets, commas, string quoting); each element's
 * bytes are then parsed strictly on their own. Expects a leading BOM to be stripped already.
 */
export async function* splitJsonArray(
  chunks: AsyncIterable<Uint8Array>,
  maxElementBytes: number,
): AsyncGenerator<ArrayElement> {
  let state: ArrayState = 'start';
  let count = 0;
  let fileLine = 1;
  let startLine = 1;
  let depth = 0;
  let inString = false;
  let escaped = false;
  let elementIsScalar = false;
  const element = new LineBuffer(maxElementBytes);
  const fail = (message: string) => new ArrayStructureError(message, fileLine);
  const finish = (): ArrayElement => {
    count += 1;
    return { ...element.take(count, true), fileLine: startLine };
  };

  for await (const chunk of chunks) {
    let from = 0; // start of the current element's bytes within this chunk
    for (let i = 0; i < chunk.length; i += 1) {
      const b = chunk[i]!;
      if (state === 'element') {
        if (inString) {
          if (escaped) escaped = false;
          else if (b === BACKSLASH) escaped = true;
          else if (b === QUOTE) inString = false;
          if (b === NEWLINE) fileLine += 1; // invalid in JSON, but counted so that lines stay right
          continue;
        }
        const endsScalar = elementIsScalar && (isWhitespace(b) || b === COMMA || b === CLOSE_ARRAY);
        if (!endsScalar) {
          if (b === QUOTE) inString = true;
          else if (b === OPEN_ARRAY || b === OPEN_OBJECT) depth += 1;
          else if (b === CLOSE_ARRAY || b === CLOSE_OBJECT) depth -= 1;
          else if (b === NEWLINE) fileLine += 1;
          if (elementIsScalar || depth > 0) continue;
          element.add(chunk.subarray(from, i + 1));
          yield finish();
          state = 'after';
          continue;
        }
        element.add(chunk.subarray(from, i));
        yield finish();
        state = 'after';
      }
      if (b === NEWLINE) fileLine += 1;
      if (isWhitespace(b)) continue;
      if (state === 'start') {
        if (b !== OPEN_ARRAY) throw fail('a JSON upload must be an array of records, starting with "["');
        state = 'before';
      } else if (state === 'after') {
        if (b === COMMA) state = 'before';
        else if (b === CLOSE_ARRAY) state = 'end';
        else throw fail(`expected "," or "]" after record ${count} of the array`);
      } else if (state === 'before') {
        if (b === CLOSE_ARRAY && count === 0) state = 'end';
        else if (b === CLOSE_ARRAY || b === COMMA) throw fail(`a record is missing after record ${count} of the array (an extra comma?)`);
        else {
          state = 'element';
          startLine = fileLine;
          from = i;
          elementIsScalar = b !== OPEN_OBJECT && b !== OPEN_ARRAY;
          inString = b === QUOTE;
          depth = elementIsScalar ? 0 : 1;
        }
      } else {
        throw fail('unexpected text after the end of the array');
      }
    }
    if (state === 'element') element.add(chunk.subarray(from));
  }
  if (isOpen(state)) throw fail('the array is not closed with "]": was the upload cut short?');
}
