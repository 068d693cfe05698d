// The error a parser step throws for one malformed line; the upload parser turns it into an `error` event.

export class RecordError extends Error {
  override name = 'RecordError';
  constructor(
    message: string,
    /** 1-based column (UTF-16 code units) in the line, when known. */
    readonly column?: number,
  ) {
    super(message);
  }
}
