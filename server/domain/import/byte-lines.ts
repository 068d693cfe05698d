// Splits a byte stream into lines in constant memory: a line longer than the limit is dropped, not buffered.

export type RawLine =
  | { line: number; bytes: Uint8Array; terminated: boolean }
  /** A line over the limit: only its length is known. */
  | { line: number; tooLongBytes: number };

/** Lines without their '\n' (a '\r' before it is kept: CSV fields may hold CRLF, JSON ignores it). */
export async function* splitLines(
  chunks: AsyncIterable<Uint8Array>,
  maxLineBytes: number,
): AsyncGenerator<RawLine> {
  const parts = new LineBuffer(maxLineBytes);
  let line = 1;
  for await (const chunk of chunks) {
    let start = 0;
    for (let newline = chunk.indexOf(0x0a); newline >= 0; newline = chunk.indexOf(0x0a, start)) {
      parts.add(chunk.subarray(start, newline));
      yield parts.take(line, true);
      line += 1;
      start = newline + 1;
    }
    parts.add(chunk.subarray(start));
  }
  if (parts.length > 0) yield parts.take(line, false);
}

/** Collects the bytes of one line or array element, keeping none of them once it is over the limit. */
export class LineBuffer {
  private parts: Uint8Array[] = [];
  length = 0;

  constructor(private readonly maxBytes: number) {}

  add(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    this.length += bytes.length;
    if (this.length > this.maxBytes) this.parts = [];
    // Copy: a stream may reuse its chunk buffers once we ask for the next one.
    else this.parts.push(new Uint8Array(bytes));
  }

  take(line: number, terminated: boolean): RawLine {
    const result: RawLine =
      this.length > this.maxBytes
        ? { line, tooLongBytes: this.length }
        : { line, bytes: concat(this.parts, this.length), terminated };
    this.parts = [];
    this.length = 0;
    return result;
  }
}

function concat(parts: Uint8Array[], length: number): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** JSON whitespace only (a form feed or a BOM is not blank: JSON does not allow it). */
export function isBlank(bytes: Uint8Array): boolean {
  return bytes.every((b) => b === 0x20 || b === 0x09 || b === 0x0d);
}
