// How long an item waits before its next attempt: exponential backoff with full jitter, or the server's Retry-After.

/** Never wait longer than this between two attempts, whatever Retry-After says. */
export const MAX_RETRY_DELAY_MS = 10 * 60_000;

/**
 * The delay before attempt `attempt + 1` (attempt counts from 1): a random value in
 * [base * 2^(attempt-1) / 2, base * 2^(attempt-1)] (half fixed, half jitter, so retries from many items
 * spread out but still grow), or Retry-After when the server sent one (it knows when it will have room).
 */
export function retryDelayMs(attempt: number, baseMs: number, random: number, retryAfterMs: number | null): number {
  if (retryAfterMs !== null && retryAfterMs >= 0) return Math.min(retryAfterMs, MAX_RETRY_DELAY_MS);
  const ceiling = Math.min(baseMs * 2 ** Math.max(0, attempt - 1), MAX_RETRY_DELAY_MS);
  return Math.round(ceiling / 2 + (random * ceiling) / 2);
}

/** Retry-After as milliseconds: delta-seconds or an HTTP date; null when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now: Date): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? null : Math.max(0, at - now.getTime());
}
