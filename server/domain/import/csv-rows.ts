// Reads RFC 4180 CSV rows with csv-parse, naming the file line each row starts on and each bad line.
import { parse } from 'csv-parse';
import { splitLines } from './byte-lines';
import { RecordError } from './record-error';
import { textProblem } from '../../contract/safe-text';
import { decodeUtf8Line } from './strict-text';

export type CsvItem =
  | { line: number; cells: string[] }
  | { line: number; error: RecordError }
  /** The CSV structure is broken (an unclosed quote...): nothing after this can be read. */
  | { line: number | null; error: RecordError; fatal: true };

const lossyDecoder = new TextDecoder('utf-8', { ignoreBOM: true });

/**
 * Physical lines are checked one by one (UTF-8, NUL, length) and fed to csv-parse, which handles
 * quoting and fields spanning lines. A bad line is reported and still fed (lossily decoded) so
 * that quoting stays in step. A row's start line is found by counting the line breaks inside its
 * cells, as csv-parse's own line count is off for CRLF inside quotes.
 */
export async function* readCsvRows(
  chunks: AsyncIterable<Uint8Array>,
  maxLineBytes: number,
): AsyncGenerator<CsvItem> {
  // relax_quotes: a quote inside an unquoted field (37°36'37.8"N) is kept as text, as spreadsheets write it.
  const parser = parse({ relax_column_count: true, relax_quotes: true, skip_empty_lines: true, max_record_size: maxLineBytes });
  parser.on('error', () => {}); // read through `parser.errored` right after each write
  // Whether each line fed and not yet attributed to a row was skipped (empty, or too long to feed).
  const pending: boolean[] = [];
  let nextLine = 1;
  const attribute = (cells: string[]): CsvItem => {
    while (pending[0]) {
      pending.shift();
      nextLine += 1;
    }
    const line = nextLine;
    const spanned = 1 + cells.reduce((n, cell) => n + cell.split('\n').length - 1, 0);
    pending.splice(0, spanned);
    nextLine += spanned;
    return { line, cells };
  };
  const rowsReady = function* (): Generator<CsvItem> {
    for (let cells: string[] | null = parser.read(); cells !== null; cells = parser.read()) yield attribute(cells);
  };
  const failure = (): CsvItem | null => {
    const error = parser.errored as (Error & { lines?: number }) | null;
    return error ? { line: error.lines ?? null, error: new RecordError(`CSV: ${error.message}`), fatal: true } : null;
  };

  for await (const raw of splitLines(chunks, maxLineBytes)) {
    if ('tooLongBytes' in raw) {
      pending.push(true);
      yield { line: raw.line, error: new RecordError(`the line is ${raw.tooLongBytes} bytes long, over the limit of ${maxLineBytes}: shorten it`) };
      continue;
    }
    let text: string;
    try {
      text = decodeUtf8Line(raw.bytes);
      const problem = textProblem(text);
      if (problem) yield { line: raw.line, error: new RecordError(`the line ${problem}`, text.indexOf('\u0000') + 1) };
    } catch (error) {
      if (!(error instanceof RecordError)) throw error;
      yield { line: raw.line, error };
      text = lossyDecoder.decode(raw.bytes);
    }
    pending.push(raw.bytes.length === 0 || (raw.bytes.length === 1 && raw.bytes[0] === 0x0d));
    parser.write(raw.terminated ? text + '\n' : text);
    yield* rowsReady();
    const broken = failure();
    if (broken) return yield broken;
  }
  parser.end();
  try {
    for await (const cells of parser) yield attribute(cells as string[]);
  } catch (error) {
    yield { line: null, error: new RecordError(`CSV: ${(error as Error).message}`), fatal: true };
  }
}
