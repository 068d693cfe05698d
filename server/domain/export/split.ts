// The train/test split: decided by prompt, from a hash, so it never splits a prompt and never moves as data grows.

import { createHash } from 'node:crypto';

export type Split = 'train' | 'test';

const BUCKET_BITS = 48;

/**
 * sha256 of JSON.stringify([seed, promptKey]) (JSON, so no two (seed, key) pairs share an input); its first
 * 48 bits, read as a fraction u in [0, 1), put the prompt in test when u < testShare. A prompt's u never
 * changes, so raising testShare only moves prompts from train to test.
 */
export function splitOf(seed: string, promptKey: string, testShare: number): Split {
  const digest = createHash('sha256').update(JSON.stringify([seed, promptKey])).digest();
  const bucket = digest.readUIntBE(0, BUCKET_BITS / 8) / 2 ** BUCKET_BITS;
  return bucket < testShare ? 'test' : 'train';
}
