// juxta-split-1: how a ranking campaign cuts a prompt's responses into tasks of K.
import { describe, expect, it } from 'vitest';
import { splitIntoRankingTasks } from '../../../server/domain/ranking-split';

const candidates = (n: number) => Array.from({ length: n }, (_, i) => ({ key: `id:r${i}`, model: `m${i % 3}` }));
const keys = (tasks: { key: string }[][]) => tasks.map((t) => t.map((c) => c.key));

describe('splitIntoRankingTasks', () => {
  it('gives nothing for fewer than three responses (two are a pair, made by the caller)', () => {
    expect(splitIntoRankingTasks(candidates(2), 4, 's')).toEqual([]);
    expect(splitIntoRankingTasks(candidates(1), 4, 's')).toEqual([]);
  });

  it('makes one task of 3..K responses, in a seeded order that is not the input order', () => {
    for (const n of [3, 4]) {
      const [task, ...rest] = splitIntoRankingTasks(candidates(n), 4, 'seed');
      expect(rest).toEqual([]);
      expect(new Set(task!.map((c) => c.key))).toEqual(new Set(candidates(n).map((c) => c.key)));
    }
    const orders = new Set(['a', 'b', 'c', 'd', 'e', 'f'].map((seed) => keys(splitIntoRankingTasks(candidates(4), 4, seed))[0]!.join()));
    expect(orders.size).toBeGreaterThan(1);
  });

  it('cuts n > K into ceil(n/K) tasks of exactly K covering every response, with distinct first slots', () => {
    for (const [n, k] of [[4, 3], [5, 3], [10, 4], [9, 9], [10, 9], [17, 5]] as const) {
      const tasks = splitIntoRankingTasks(candidates(n), k, `seed:${n}`);
      expect(tasks).toHaveLength(Math.ceil(Math.max(n, k) / k) || 1);
      expect(tasks.every((t) => t.length === Math.min(n, k))).toBe(true);
      expect(tasks.every((t) => new Set(t.map((c) => c.key)).size === t.length)).toBe(true);
      expect(new Set(tasks.flat().map((c) => c.key)).size).toBe(n);
      expect(new Set(tasks.map((t) => t[0]!.key)).size).toBe(tasks.length);
    }
  });

  it('depends on the seed and the keys only, never on the input order; a repeated key counts once', () => {
    const input = candidates(10);
    const a = keys(splitIntoRankingTasks(input, 4, 'x'));
    const b = keys(splitIntoRankingTasks([...input].reverse(), 4, 'x'));
    expect(b).toEqual(a);
    expect(keys(splitIntoRankingTasks([...input, input[0]!], 4, 'x'))).toEqual(a);
  });
});
