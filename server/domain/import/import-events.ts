// The event stream's shared parts: record outcomes as events, upload-wide errors, progress and the empty-upload check.
import type { RecordOutcome } from './build-record';
import { RecordError } from './record-error';
import { DEFAULT_MAX_LINE_BYTES, DEFAULT_MAX_UPLOAD_BYTES, type ImportEvent, type ParseLimits, type UploadErrorCode } from './types';
import { ByteCount } from './upload-bytes';

const PROGRESS_EVERY_BYTES = 1024 * 1024;

const asEvent = (line: number, outcome: RecordOutcome): ImportEvent =>
  'record' in outcome ? { type: 'record', record: outcome.record } : { type: 'skip', line, reason: outcome.skip };

/** Runs a format's record parser, turning a RecordError into an error event for the line. */
export function outcomeEvent(line: number, parse: () => RecordOutcome): ImportEvent {
  return outcomeEvents(line, parse)[0]!;
}

/** The same for a parser that reads several records from one line (an OASST message tree). */
export function outcomeEvents(line: number, parse: () => RecordOutcome | RecordOutcome[]): ImportEvent[] {
  try {
    const outcome = parse();
    return Array.isArray(outcome) ? outcome.map((o) => asEvent(line, o)) : [asEvent(line, outcome)];
  } catch (error) {
    if (!(error instanceof RecordError)) throw error;
    return [{ type: 'error', line, column: error.column, message: error.message }];
  }
}

export function uploadError(code: UploadErrorCode, message: string): ImportEvent {
  return { type: 'error', line: null, message, code };
}

/** Counts raw input bytes and records, emits a progress event every MiB, and notices an upload without records. */
export class Progress {
  readonly maxLineBytes: number;
  private readonly count: ByteCount;
  private records = 0;
  private errors = 0;
  private reported = 0;

  constructor(limits: ParseLimits) {
    this.maxLineBytes = limits.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
    this.count = new ByteCount(limits.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES);
  }

  input(chunks: AsyncIterable<Uint8Array | string>): AsyncIterable<Uint8Array> {
    return this.count.pass(chunks);
  }

  *after(event: ImportEvent): Generator<ImportEvent> {
    if (event.type === 'record') this.records += 1;
    if (event.type === 'error') this.errors += 1;
    if (this.count.bytes - this.reported >= PROGRESS_EVERY_BYTES) yield this.report();
  }

  *finish(): Generator<ImportEvent> {
    yield this.report();
    if (this.records === 0 && this.errors === 0) {
      yield uploadError('IMPORT_EMPTY', 'the upload has no usable records (it is blank, or every record was skipped)');
    }
  }

  private report(): ImportEvent {
    this.reported = this.count.bytes;
    return { type: 'progress', bytes: this.count.bytes, records: this.records };
  }
}
