// Canonical A/B order and the pairing strategies.
import { describe, expect, it } from 'vitest';
import { canonicalOrder, generatePairs, orderCandidates, pairCandidates } from '../../../server/domain/pairing';

const models = ['m1', 'm2', 'm3', 'm4', 'm5'];
const key = ([a, b]: [string, string]) => `${a}|${b}`;

describe('canonicalOrder', () => {
  it('does not depend on the order it is given', () => {
    for (const [x, y] of [['a', 'b'], ['gpt-4', 'claude'], ['z', 'y']] as const) {
      expect(canonicalOrder('seed', x, y)).toEqual(canonicalOrder('seed', y, x));
    }
  });

  it('follows neither the file order nor the alphabet: both orders occur across seeds', () => {
    const firsts = new Set(Array.from({ length: 40 }, (_, i) => canonicalOrder(`s${i}`, 'alpha', 'beta')[0]));
    expect(firsts).toEqual(new Set(['alpha', 'beta']));
  });
});

describe('generatePairs', () => {
  it('all: every unordered pair once, in canonical order', () => {
    const pairs = generatePairs(models, { kind: 'all' }, 'c1:p1');
    expect(pairs).toHaveLength(10);
    expect(new Set(pairs.map((p) => [...p].sort().join('|'))).size).toBe(10);
    expect(pairs.every(([a, b]) => key(canonicalOrder('c1:p1', b, a)) === key([a, b]))).toBe(true);
  });

  it('sample: m distinct pairs out of all, the same for the same seed, varying with the prompt', () => {
    const all = generatePairs(models, { kind: 'all' }, 'c1:p1').map(key);
    const sample = generatePairs(models, { kind: 'sample', perPrompt: 3 }, 'c1:p1');
    expect(sample).toHaveLength(3);
    expect(sample.map(key).every((k) => all.includes(k))).toBe(true);
    expect(generatePairs(models, { kind: 'sample', perPrompt: 3 }, 'c1:p1')).toEqual(sample);
    const others = Array.from({ length: 20 }, (_, i) => generatePairs(models, { kind: 'sample', perPrompt: 3 }, `c1:p${i}`).map(key).sort().join());
    expect(new Set(others).size).toBeGreaterThan(1);
    expect(generatePairs(['a', 'b'], { kind: 'sample', perPrompt: 3 }, 's')).toHaveLength(1);
  });

  it('reference: each other model against the reference, none when it is absent', () => {
    const pairs = generatePairs(models, { kind: 'reference', model: 'm3' }, 's');
    expect(pairs).toHaveLength(4);
    expect(pairs.every((pair) => pair.includes('m3'))).toBe(true);
    expect(generatePairs(['a', 'b'], { kind: 'reference', model: 'm3' }, 's')).toEqual([]);
  });
});

describe('pairCandidates (samples of one model)', () => {
  const samples = [
    { key: 'gen:1', model: 'policy' },
    { key: 'gen:2', model: 'policy' },
    { key: 'gen:3', model: 'base' },
  ];

  it('pairs every sample with every other, samples of one model included, in an order that ignores the input order', () => {
    const pairs = pairCandidates(samples, { kind: 'all' }, 's');
    expect(pairs.map(([a, b]) => [a.key, b.key].sort().join())).toEqual(expect.arrayContaining(['gen:1,gen:2', 'gen:1,gen:3', 'gen:2,gen:3']));
    expect(pairs).toHaveLength(3);
    const reversed = pairCandidates([...samples].reverse(), { kind: 'all' }, 's');
    expect(new Set(reversed.map(([a, b]) => `${a.key}|${b.key}`))).toEqual(new Set(pairs.map(([a, b]) => `${a.key}|${b.key}`)));
  });

  it('orders models as canonicalOrder does, so a re-import after the identity change finds the same comparisons', () => {
    for (let i = 0; i < 20; i++) {
      const [a] = orderCandidates(`s${i}`, { key: 'k1', model: 'alpha' }, { key: 'k2', model: 'beta' });
      expect(a.model).toBe(canonicalOrder(`s${i}`, 'alpha', 'beta')[0]);
    }
  });

  it('reference pairs each other response with the reference model, never two samples of it', () => {
    const pairs = pairCandidates(samples, { kind: 'reference', model: 'policy' }, 's');
    expect(pairs.map(([a, b]) => [a.key, b.key].sort().join()).sort()).toEqual(['gen:1,gen:3', 'gen:2,gen:3']);
  });
});
