// Reads JSON values from JSONL or a JSON array, one per line or element, as strictly checked values or line errors.
import { isBlank, splitLines, type RawLine } from './byte-lines';
import { ArrayStructureError, splitJsonArray } from './json-array';
import { parseJsonLine } from './json-line';
import { RecordError } from './record-error';
import { decodeUtf8Line } from './strict-text';

export type JsonItem =
  | { line: number; value: unknown }
  | { line: number; error: RecordError }
  /** The array's structure is broken: nothing after this can be read. */
  | { line: null; error: RecordError };

/** `array`: the upload is one JSON array (it starts with "["); otherwise it is JSON Lines. */
export async function* readJsonItems(
  chunks: AsyncIterable<Uint8Array>,
  array: boolean,
  maxLineBytes: number,
): AsyncGenerator<JsonItem> {
  const raws = array ? splitJsonArray(chunks, maxLineBytes) : splitLines(chunks, maxLineBytes);
  const unit = array ? 'array element' : 'line';
  try {
    for await (const raw of raws) {
      const item = parseRaw(raw, unit, maxLineBytes);
      if (item) yield item;
    }
  } catch (error) {
    if (!(error instanceof ArrayStructureError)) throw error;
    yield { line: null, error: new RecordError(`${error.message} (file line ${error.fileLine})`) };
  }
}

function parseRaw(raw: RawLine, unit: string, maxBytes: number): JsonItem | null {
  const { line } = raw;
  if ('tooLongBytes' in raw) {
    return { line, error: new RecordError(`the ${unit} is ${raw.tooLongBytes} bytes long, over the limit of ${maxBytes}: shorten it`) };
  }
  if (isBlank(raw.bytes)) return null;
  try {
    return { line, value: parseJsonLine(decodeUtf8Line(raw.bytes), !raw.terminated) };
  } catch (error) {
    if (error instanceof RecordError) return { line, error };
    throw error;
  }
}
