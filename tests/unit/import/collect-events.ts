// Test helpers: feed bytes to the import parser and tally what comes out.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ImportEvent, ImportRecord } from '../../../server/domain/import/types';

export const fixture = (path: string) => fileURLToPath(new URL(`../../fixtures/import/${path}`, import.meta.url));
export const readFixture = (path: string) => readFileSync(fixture(path));

/** An upload arriving in small chunks, so that lines and array elements cross chunk borders. */
export async function* chunked(data: Uint8Array | string, size = 7): AsyncGenerator<Uint8Array> {
  const bytes = typeof data === 'string' ? Buffer.from(data) : data;
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

export type Tally = {
  records: ImportRecord[];
  skipped: Record<string, number>;
  skipLines: number[];
  errors: Extract<ImportEvent, { type: 'error' }>[];
  progress: Extract<ImportEvent, { type: 'progress' }>[];
  /** The formats the parser said it reads the records as. */
  formats: string[];
};

export async function tally(events: AsyncIterable<ImportEvent>): Promise<Tally> {
  const result: Tally = { records: [], skipped: {}, skipLines: [], errors: [], progress: [], formats: [] };
  for await (const event of events) {
    if (event.type === 'record') result.records.push(event.record);
    else if (event.type === 'skip') {
      result.skipped[event.reason] = (result.skipped[event.reason] ?? 0) + 1;
      result.skipLines.push(event.line);
    } else if (event.type === 'error') result.errors.push(event);
    else if (event.type === 'format') result.formats.push(event.name);
    else result.progress.push(event);
  }
  return result;
}
