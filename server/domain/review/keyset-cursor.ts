// Keyset cursors of the review lists: the last row's sort value and id, as base64url JSON, tagged with the
// list's order so that a cursor is never read under another one. Opaque to clients; checked on the way in.

export type CursorValue = string | number;

export function encodeCursor(order: string, value: CursorValue, id: number): string {
  return Buffer.from(JSON.stringify([order, value, id])).toString('base64url');
}

/** The cursor's value and id, or null when it is not a cursor of this order (malformed, tampered, another list's). */
export function decodeCursor(cursor: string, order: string): { value: CursorValue; id: number } | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (!Array.isArray(parsed) || parsed.length !== 3 || parsed[0] !== order) return null;
  const [, value, id] = parsed as unknown[];
  if (!Number.isInteger(id) || (id as number) < 0 || (typeof value !== 'string' && !Number.isInteger(value))) return null;
  return { value: value as CursorValue, id: id as number };
}

/** A timestamp cursor value back to a Date; null when it is not one. */
export function cursorDate(value: CursorValue): Date | null {
  if (typeof value !== 'string') return null;
  const at = new Date(value);
  return Number.isNaN(at.getTime()) ? null : at;
}
