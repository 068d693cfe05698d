// The one shape every failed API call takes in the web app, whatever went wrong.
import type { ErrorCode } from '$contract/errors';

/** Codes of failures the web app detects itself: no reply, a reply it cannot read, a problem in the page. */
export type ClientErrorCode = 'NETWORK' | 'BAD_RESPONSE' | 'CLIENT';
export type ApiErrorCode = ErrorCode | ClientErrorCode;

export class ApiError extends Error {
  constructor(
    /** HTTP status; 0 when the server could not be reached. */
    readonly status: number,
    /** The server's error code (see server/contract/errors.ts) or one of ours: NETWORK, BAD_RESPONSE, CLIENT. */
    readonly code: ApiErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** For catch blocks: anything thrown becomes an ApiError with a message a user can act on. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new ApiError(0, 'CLIENT', `Something went wrong in the page: ${message}. Reload and try again.`);
}

/** Per-item problems carried in `details` (import lines, invalid fields), as lines of text. */
export function detailLines(details: unknown): string[] {
  if (typeof details !== 'object' || details === null) return [];
  const items = Object.values(details).find(Array.isArray) ?? [];
  return items.flatMap((item: unknown) => {
    if (typeof item !== 'object' || item === null || !('message' in item)) return [];
    const { message } = item as { message: unknown };
    const where = 'line' in item ? `line ${String(item.line)}: ` : 'path' in item ? `${String(item.path)}: ` : '';
    return [`${where}${String(message)}`];
  });
}
