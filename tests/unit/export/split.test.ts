// The prompt-level train/test split: pinned to sha256, proportional, monotone in testShare.

import { describe, expect, it } from 'vitest';
import { splitOf } from '../../../server/domain/export/split';

describe('splitOf', () => {
  // Buckets computed independently with Python: int.from_bytes(sha256(json.dumps([seed, key],
  // separators=(',', ':'), ensure_ascii=False).encode()).digest()[:6], 'big') / 2**48.
  it.each([
    ['seed-1', 'prompt-1', 0.857703062540935],
    ['seed-1', 'prompt-2', 0.5580654017446172],
    ['campaign-42', 'hh-0007', 0.6884117936608227],
    ['s', 'ключ', 0.2948010647452577],
  ])('puts (%s, %s) at bucket %d', (seed, key, bucket) => {
    expect(splitOf(seed, key, bucket + 1e-9)).toBe('test');
    expect(splitOf(seed, key, bucket - 1e-9)).toBe('train');
  });

  const keys = Array.from({ length: 20_000 }, (_, i) => `prompt-${i}`);

  it('sends about testShare of the prompts to test', () => {
    for (const share of [0.1, 0.5]) {
      const test = keys.filter((key) => splitOf('seed', key, share) === 'test').length / keys.length;
      // Binomial standard deviation is at most 0.0036 here: 0.015 is over four of them.
      expect(Math.abs(test - share)).toBeLessThan(0.015);
    }
  });

  it('only moves prompts from train to test when testShare grows, and is the same on every call', () => {
    const at = (share: number) => new Set(keys.filter((key) => splitOf('seed', key, share) === 'test'));
    const small = at(0.1);
    const large = at(0.2);
    expect([...small].every((key) => large.has(key))).toBe(true);
    expect(at(0.1)).toEqual(small);
  });

  it('gives another campaign seed an unrelated split', () => {
    const inBoth = keys.filter((key) => splitOf('seed-a', key, 0.5) === splitOf('seed-b', key, 0.5)).length;
    expect(Math.abs(inBoth / keys.length - 0.5)).toBeLessThan(0.03);
  });

  it('does not confuse the seed with the key', () => {
    const swapped = keys.filter((key) => splitOf('ab', `c${key}`, 0.5) !== splitOf('abc', key, 0.5)).length;
    expect(swapped).toBeGreaterThan(keys.length * 0.4);
  });
});
