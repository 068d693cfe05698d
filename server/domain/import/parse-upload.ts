// Streams an upload (JSONL, JSON array, CSV; gzipped or not) into import events, in constant memory.
import { alpacaEvalRecord } from './alpaca-eval-format';
import { recordRules, type RecordOutcome } from './build-record';
import { chatbotArenaRecord } from './chatbot-arena-format';
import { csvLayout, csvRecord, type CsvLayout } from './csv-format';
import { readCsvRows } from './csv-rows';
import { detectJsonFormat, looksLikeCsv } from './detect-format';
import { outcomeEvent, outcomeEvents, Progress, uploadError } from './import-events';
import { hhRlhfRecord } from './hh-rlhf-format';
import { readJsonItems } from './json-records';
import { nativeRecord } from './native-format';
import { oasstRecords } from './oasst-format';
import { RecordError } from './record-error';
import { describe } from './record-schema';
import {
  DEFAULT_MAX_INFLATED_BYTES,
  DEFAULT_MAX_LINES,
  IMPORT_FORMATS,
  type ImportEvent,
  type ImportFormat,
  type ParseLimits,
  type ParseOptions,
  type RecordFormat,
  type RecordRules,
} from './types';
import {
  ByteCount,
  CorruptGzipError,
  gunzip,
  InflatedTooLargeError,
  isGzip,
  paced,
  peek,
  stripBom,
  TooManyLinesError,
  untilAborted,
  UploadTooLargeError,
} from './upload-bytes';

/** One record per line, or several (an OASST line is a whole message tree). */
export const JSON_RECORD_PARSERS: Record<Exclude<RecordFormat, 'csv'>, (value: unknown, line: number, rules: RecordRules) => RecordOutcome | RecordOutcome[]> = {
  native: nativeRecord,
  oasst: oasstRecords,
  'hh-rlhf': hhRlhfRecord,
  'chatbot-arena': chatbotArenaRecord,
  'alpaca-eval': alpacaEvalRecord,
};

export function isImportFormat(name: string): name is ImportFormat {
  return (IMPORT_FORMATS as readonly string[]).includes(name);
}

/**
 * Parses an upload into `record`, `skip`, `error` and `progress` events, never holding more than
 * one line (or JSON array element) in memory. It goes on after line errors so that the caller can
 * report them all; an upload with any `error` event must import nothing. JSON is JSON Lines, or
 * one array when the upload starts with "["; gzip is recognised by its magic bytes.
 */
export async function* parseUpload(
  input: AsyncIterable<Uint8Array | string>,
  options: ParseOptions = {},
): AsyncGenerator<ImportEvent> {
  const format = options.format ?? 'auto';
  if (!isImportFormat(format)) {
    yield uploadError('UNKNOWN_FORMAT', `unknown format "${format}": use one of ${IMPORT_FORMATS.join(', ')}`);
    return;
  }
  const progress = new Progress(options);
  const rules = recordRules(options);
  try {
    const bytes = paced(await decodedBytes(progress.input(untilAborted(input, options.signal)), options), options.maxLines ?? DEFAULT_MAX_LINES, options.signal);
    const { head, stream } = await peek(bytes);
    if (head.length === 0) {
      yield uploadError('IMPORT_EMPTY', 'the upload is empty: it has no records');
      return;
    }
    const csv = format === 'csv' || (format === 'auto' && looksLikeCsv(options.contentType, firstNonBlank(head)));
    if (csv) yield { type: 'format', name: 'csv' };
    const events = csv ? csvEvents(stream, rules, progress.maxLineBytes) : jsonEvents(stream, format, head, rules, progress.maxLineBytes);
    for await (const event of events) {
      yield event;
      yield* progress.after(event);
    }
    yield* progress.finish();
  } catch (error) {
    if (error instanceof UploadTooLargeError || error instanceof TooManyLinesError) yield uploadError('PAYLOAD_TOO_LARGE', error.message);
    else if (error instanceof CorruptGzipError) yield uploadError('IMPORT_INVALID', error.message);
    else throw error;
  }
}

async function decodedBytes(input: AsyncIterable<Uint8Array>, limits: ParseLimits): Promise<AsyncIterable<Uint8Array>> {
  const { head, stream } = await peek(input);
  if (!isGzip(head)) return stripBom(stream);
  const inflated = new ByteCount(limits.maxInflatedBytes ?? DEFAULT_MAX_INFLATED_BYTES, (max) => new InflatedTooLargeError(max));
  return stripBom(inflated.pass(gunzip(stream)));
}

async function* jsonEvents(
  bytes: AsyncIterable<Uint8Array>,
  format: ImportFormat,
  head: Uint8Array,
  rules: RecordRules,
  maxLineBytes: number,
): AsyncGenerator<ImportEvent> {
  let detected = format === 'auto' ? null : JSON_RECORD_PARSERS[format as Exclude<RecordFormat, 'csv'>];
  if (detected) yield { type: 'format', name: format };
  for await (const item of readJsonItems(bytes, firstNonBlank(head) === 0x5b, maxLineBytes)) {
    if ('error' in item) {
      yield { type: 'error', line: item.line, column: item.error.column, message: item.error.message };
      continue;
    }
    if (!detected) {
      if (typeof item.value !== 'object' || item.value === null || Array.isArray(item.value)) {
        yield { type: 'error', line: item.line, message: `each line must be a JSON object, not ${describe(item.value)}` };
        continue;
      }
      const name = detectJsonFormat(item.value);
      if (!name) {
        yield {
          type: 'error',
          line: item.line,
          message:
            'the format is not recognised from this record’s fields: name it with ?format=native|hh-rlhf|chatbot-arena|alpaca-eval|oasst, ' +
            'or use {"prompt", "responses": [{"model", "content"}]}',
        };
        return;
      }
      detected = JSON_RECORD_PARSERS[name as Exclude<RecordFormat, 'csv'>];
      yield { type: 'format', name };
    }
    yield* outcomeEvents(item.line, () => detected!(item.value, item.line, rules));
  }
}

async function* csvEvents(bytes: AsyncIterable<Uint8Array>, rules: RecordRules, maxLineBytes: number): AsyncGenerator<ImportEvent> {
  let layout: CsvLayout | null = null;
  for await (const item of readCsvRows(bytes, maxLineBytes)) {
    if ('error' in item) {
      yield { type: 'error', line: item.line, column: item.error.column, message: item.error.message };
      if ('fatal' in item) return;
      continue;
    }
    if (layout) {
      const current = layout;
      yield outcomeEvent(item.line, () => csvRecord(current, item.cells, item.line, rules));
      continue;
    }
    try {
      layout = csvLayout(item.cells);
    } catch (error) {
      if (!(error instanceof RecordError)) throw error;
      yield { type: 'error', line: item.line, message: `CSV header: ${error.message}` };
      return;
    }
  }
}

function firstNonBlank(head: Uint8Array): number | undefined {
  const start = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
  return head.subarray(start).find((b) => b !== 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d);
}
