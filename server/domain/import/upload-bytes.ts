// The upload's bytes before parsing: counted against the size limit, gunzipped when compressed, peeked at.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { createGunzip } from 'node:zlib';

export class UploadTooLargeError extends Error {
  override name = 'UploadTooLargeError';
  constructor(readonly maxBytes: number) {
    super(`the upload is larger than the limit of ${maxBytes} bytes: split it into several imports`);
  }
}

/** A small gzip that inflates to far more (a gzip bomb): bounded apart from the bytes received. */
export class InflatedTooLargeError extends UploadTooLargeError {
  override name = 'InflatedTooLargeError';
  constructor(maxBytes: number) {
    super(maxBytes);
    this.message = `the gzip upload inflates to more than ${maxBytes} bytes, the limit of IMPORT_MAX_INFLATED_BYTES: split it into several imports`;
  }
}

export class CorruptGzipError extends Error {
  override name = 'CorruptGzipError';
}

export class TooManyLinesError extends Error {
  override name = 'TooManyLinesError';
  constructor(readonly maxLines: number) {
    super(`the upload has more than ${maxLines} lines (blank ones count too), the limit of IMPORT_MAX_LINES: split it into several imports`);
  }
}

/** The import was stopped from outside (the client went away, or the server is shutting down). */
export class ImportCancelledError extends Error {
  override name = 'ImportCancelledError';
  constructor(reason: string) {
    super(`the import was cancelled: ${reason}`);
  }
}

/** The chunks of `source` until `signal` is aborted: waiting for the next chunk (a client trickling its body) ends at once. */
export async function* untilAborted(source: AsyncIterable<Uint8Array | string>, signal?: AbortSignal): AsyncGenerator<Uint8Array | string> {
  if (!signal) return yield* source;
  const iterator = source[Symbol.asyncIterator]();
  let onAbort = () => {};
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(new ImportCancelledError(String(signal.reason ?? 'stopped')));
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  aborted.catch(() => {});
  try {
    for (;;) {
      const next = await Promise.race([iterator.next(), aborted]);
      if (next.done) return;
      yield next.value;
    }
  } finally {
    signal.removeEventListener('abort', onAbort);
    void iterator.return?.()?.catch(() => {});
  }
}

/**
 * Paces the decoded bytes: counts their lines against `maxLines`, stops once `signal` is aborted, and
 * lets the event loop run before each chunk. Parsing is otherwise a chain of promises that never yields,
 * so a chunk of blank lines would keep every other request waiting.
 */
export function paced(chunks: AsyncIterable<Uint8Array>, maxLines: number, signal?: AbortSignal): AsyncGenerator<Uint8Array> {
  return new LineBudget(maxLines, signal).paced(chunks);
}

/** `paced` over several files of one upload (answer files' parts): their lines count against one limit. */
export class LineBudget {
  lines = 0;
  constructor(
    private readonly maxLines: number,
    private readonly signal?: AbortSignal,
  ) {}

  async *paced(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
    for await (const chunk of chunks) {
      await nextTurn();
      if (this.signal?.aborted) throw new ImportCancelledError(String(this.signal.reason ?? 'stopped'));
      for (let i = chunk.indexOf(0x0a); i >= 0; i = chunk.indexOf(0x0a, i + 1)) this.lines += 1;
      if (this.lines > this.maxLines) throw new TooManyLinesError(this.maxLines);
      yield chunk;
    }
  }
}

/** Counts bytes as they pass (`count.bytes`) and throws (UploadTooLargeError by default) once there are more than `maxBytes`. */
export class ByteCount {
  bytes = 0;
  constructor(
    private readonly maxBytes: number,
    private readonly tooLarge: (maxBytes: number) => UploadTooLargeError = (max) => new UploadTooLargeError(max),
  ) {}

  async *pass(chunks: AsyncIterable<Uint8Array | string>): AsyncGenerator<Uint8Array> {
    for await (const chunk of chunks) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      this.bytes += bytes.length;
      if (this.bytes > this.maxBytes) throw this.tooLarge(this.maxBytes);
      yield bytes;
    }
  }
}

/** The first non-empty chunk, and the whole stream again (that chunk included). */
export async function peek(
  chunks: AsyncIterable<Uint8Array>,
): Promise<{ head: Uint8Array; stream: AsyncIterable<Uint8Array> }> {
  const iterator = chunks[Symbol.asyncIterator]();
  let head: Uint8Array = new Uint8Array(0);
  while (head.length === 0) {
    const next = await iterator.next();
    if (next.done) return { head, stream: (async function* () {})() };
    head = next.value;
  }
  const first = head;
  async function* replay(): AsyncGenerator<Uint8Array> {
    yield first;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
  }
  return { head, stream: replay() };
}

export function isGzip(head: Uint8Array): boolean {
  return head[0] === 0x1f && head[1] === 0x8b;
}

export async function* gunzip(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const inflate = createGunzip();
  const feeding = pipeline(Readable.from(chunks), inflate).catch((error: Error) => error);
  try {
    for await (const chunk of inflate) yield chunk as Uint8Array;
  } catch (error) {
    throw toGzipError(error);
  }
  const failure = await feeding;
  if (failure) throw toGzipError(failure);
}

function toGzipError(error: unknown): Error {
  if (error instanceof UploadTooLargeError) return error;
  return new CorruptGzipError(`the gzip data is damaged (${(error as Error).message}): compress the file again`);
}

/** Drops a UTF-8 byte order mark at the very start of the upload (spreadsheet programs write one). */
export async function* stripBom(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  let first = true;
  for await (const chunk of chunks) {
    if (first && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) yield chunk.subarray(3);
    else yield chunk;
    first = false;
  }
}
