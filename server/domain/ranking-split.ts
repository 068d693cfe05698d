// How a ranking campaign cuts a prompt's responses into tasks (rule `juxta-split-1`), and the slot order of each task.
import { createHash } from 'node:crypto';
import type { Candidate } from './pairing';

/** The rule's name, for the dataset card and the README. */
export const RANKING_SPLIT_RULE = 'juxta-split-1';

const digest = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * `juxta-split-1`: the prompt's distinct responses are ordered by sha256(seed + '\0' + key) (seed: campaign
 * seed and prompt key), which is neither the file's order nor the alphabet's. Three to `size` responses make
 * one task of them all; more are cut in that order into ceil(n / size) tasks of exactly `size`, the last one
 * filled up from the start of the order, so every response is ranked with `size - 1` others and a few
 * (the first ones) twice. Two responses make no ranking task (the caller pairs them); fewer make nothing.
 * A task's slots keep that order; its first slot is distinct from every other task's first slot, so
 * (slot 0, slot 1) identifies it like a pair's (A, B). Deterministic: a re-import finds the same tasks.
 */
export function splitIntoRankingTasks<T extends Candidate>(candidates: readonly T[], size: number, seed: string): T[][] {
  const unique = [...new Map(candidates.map((c) => [c.key, c])).values()];
  if (unique.length < 3) return [];
  const ordered = unique
    .map((c) => ({ c, rank: digest(`${seed}\u0000${c.key}`) }))
    .sort((x, y) => (x.rank < y.rank ? -1 : x.rank > y.rank ? 1 : x.c.key < y.c.key ? -1 : 1))
    .map(({ c }) => c);
  if (ordered.length <= size) return [ordered];
  const tasks: T[][] = [];
  for (let start = 0; start < ordered.length; start += size) {
    const task = ordered.slice(start, start + size);
    tasks.push(task.length === size ? task : [...task, ...ordered.slice(0, size - task.length)]);
  }
  return tasks;
}
