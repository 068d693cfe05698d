// Random secrets (session cookies, API tokens, invites) and the hashes we store instead of them.
import { createHash } from 'node:crypto';
import type { Random } from '../context';

/** A URL-safe secret with `prefix_`, 256 bits of entropy. */
export function newSecret(random: Random, prefix: string): string {
  return `${prefix}_${random.bytes(32).toString('base64url')}`;
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}
