// How a ranking campaign cuts a prompt's responses into tasks (rule `juxta-split-1`), and the slot order of each task.
import { createHash } from 'node:crypto';
import type { TTaskType } from '../contract/campaign';
import { pairCandidates, type Candidate, type PairingStrategy } from './pairing';

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

/** One task a prompt's responses give: a pair, or a ranking task whose `slots` are in slot order (`pair` is slots 0 and 1). */
export interface PlannedTask<T> {
  pair: [T, T];
  slots?: T[];
}

/**
 * The tasks of a prompt's responses under the campaign's task type, as imports and generation jobs make them:
 * a ranking campaign cuts three or more responses into ranking tasks (`juxta-split-1`); otherwise (pairwise,
 * or two responses) pairs by the pairing strategy, leaving out pairs without `differentText`. `seed`: campaign seed and prompt key.
 */
export function planResponseTasks<T extends Candidate & { content: string }>(
  responses: readonly T[],
  task: TTaskType,
  strategy: PairingStrategy,
  seed: string,
): PlannedTask<T>[] {
  if (task.type === 'ranking') {
    const tasks = splitIntoRankingTasks(responses, task.size, seed);
    if (tasks.length > 0) return tasks.map((slots) => ({ pair: [slots[0]!, slots[1]!], slots }));
  }
  return pairCandidates(responses, strategy, seed)
    .filter(differentText)
    .map((pair) => ({ pair }));
}

/** Two responses whose texts differ (all blanks count as one text): a pair worth judging. */
export function differentText([x, y]: readonly [{ content: string }, { content: string }]): boolean {
  const text = (r: { content: string }) => (r.content.trim() === '' ? '' : r.content);
  return text(x) !== text(y);
}
