// Ranking judgments put back together from the derived pairs the stats read (ids from derivedPairId): one unit
// per (ranking task, rater), with per slot what its pairs say (cards beaten, tied, shown after it).
import { CHOICE_CODES, MAX_SLOTS, NO_CHOICE, SLOT_PAIR_BASE, taskOfPairId } from '../../db/repositories/stats';
import { grown } from '../../domain/stats/list-numbering';
import type { JudgmentTable } from './judgment-table';

/** Per-slot columns hold this many items per unit. */
export { MAX_SLOTS };

const [A, B] = [CHOICE_CODES.indexOf('A'), CHOICE_CODES.indexOf('B')];

export interface RankingUnits {
  count: number;
  /** The unit of each row of the table; -1 for a pair's own judgment (and rows without an answer). */
  unitOfRow: Int32Array;
  /** Per unit: the task's database id, the rater (index into table.raters), counted, made on a gold task. */
  task: Int32Array;
  /** Dense numbers for the tasks' ids (every unit's task has one): per-task tables index by them. */
  slots: TaskSlots;
  rater: Int32Array;
  counted: Uint8Array;
  gold: Uint8Array;
  /** Per unit, a bit per slot the ranking places. */
  present: Uint16Array;
  /** Per unit and slot (unit * MAX_SLOTS + slot): the other slots it beat, it tied with, it was shown before. */
  wins: Uint8Array;
  ties: Uint8Array;
  shownBefore: Uint8Array;
  /** Per unit on a gold task (unit * 5): pairs, concordant, discordant, tied by the rater, tied by the gold ranking. */
  goldPairs: Uint16Array;
}

/** Every ranking judgment of the table as one unit (undefined when the table holds no ranking). */
export function rankingUnits(table: JudgmentTable): RankingUnits | undefined {
  const ids = table.comparisons.id;
  const unitOfRow = new Int32Array(table.comparison.length).fill(-1);
  // Units by task: the last unit of each task (by its slot) and, per unit, the unit of the same task before it: a task
  // has a unit per rater (k of them), so a ranking's unit is found by a short walk. (A map of (task, rater) keys cost
  // 200 of this function's 300 ms at 250,000 rankings.)
  let derived = 0;
  for (let c = 0; c < ids.length; c++) if (ids[c]! < 0) derived++;
  const rankingTasks = new Int32Array(derived);
  for (let c = 0, at = 0; c < ids.length; c++) if (ids[c]! < 0) rankingTasks[at++] = taskOfPairId(ids[c]!);
  const slots = taskSlots(rankingTasks);
  const lastOfTask = new Int32Array(slots.size).fill(-1);
  let task: Int32Array = new Int32Array(1024);
  let rater: Int32Array = new Int32Array(1024);
  let before: Int32Array = new Int32Array(1024);
  let count = 0;
  // A ranking's pairs come one after another in the table (decodeJudgments): the unit of the row before is tried first.
  // (No array destructuring in the loops below: at 1.5 M rows its allocations cost more than the work.)
  let lastTask = -1;
  let lastRater = -1;
  let lastUnit = -1;
  for (let i = 0; i < unitOfRow.length; i++) {
    const id = ids[table.comparison[i]!]!;
    if (id >= 0 || table.choice[i] === NO_CHOICE) continue;
    const t = taskOfPairId(id);
    const r = table.rater[i]!;
    let u = lastUnit;
    if (t !== lastTask || r !== lastRater) {
      const slot = slots.of(t);
      u = lastOfTask[slot]!;
      while (u !== -1 && (task[u] !== t || rater[u] !== r)) u = before[u]!;
      if (u === -1) {
        if (count === task.length) [task, rater, before] = [grown(task, 2 * count), grown(rater, 2 * count), grown(before, 2 * count)];
        u = count++;
        task[u] = t;
        rater[u] = r;
        before[u] = lastOfTask[slot]!;
        lastOfTask[slot] = u;
      }
    }
    lastTask = t;
    lastRater = r;
    lastUnit = u;
    unitOfRow[i] = u;
  }
  if (count === 0) return undefined;
  const units: RankingUnits = {
    count,
    unitOfRow,
    task: task.slice(0, count),
    slots,
    rater: rater.slice(0, count),
    counted: new Uint8Array(count),
    gold: new Uint8Array(count),
    present: new Uint16Array(count),
    wins: new Uint8Array(count * MAX_SLOTS),
    ties: new Uint8Array(count * MAX_SLOTS),
    shownBefore: new Uint8Array(count * MAX_SLOTS),
    goldPairs: new Uint16Array(count * 5),
  };
  for (let i = 0; i < unitOfRow.length; i++) {
    const u = unitOfRow[i]!;
    if (u === -1) continue;
    const c = table.comparison[i]!;
    const rest = -ids[c]! % SLOT_PAIR_BASE;
    const a = Math.floor(rest / 9);
    const b = rest % 9;
    const choice = table.choice[i]!;
    const sa = u * MAX_SLOTS + a;
    const sb = u * MAX_SLOTS + b;
    // Every pair of one ranking judgment is counted or not together (counting is per task and rater).
    units.counted[u] = table.counted[i]!;
    units.present[u]! |= (1 << a) | (1 << b);
    if (choice === A) units.wins[sa]!++;
    else if (choice === B) units.wins[sb]!++;
    else {
      units.ties[sa]!++;
      units.ties[sb]!++;
    }
    units.shownBefore[table.leftIsA[i] ? sa : sb]!++;
    const gold = table.comparisons.gold[c]!;
    if (gold !== NO_CHOICE) {
      units.gold[u] = 1;
      const [raterTied, goldTied] = [choice !== A && choice !== B, gold !== A && gold !== B];
      const g = u * 5;
      units.goldPairs[g]!++;
      if (!raterTied && !goldTied) units.goldPairs[g + (choice === gold ? 1 : 2)]!++;
      if (raterTied) units.goldPairs[g + 3]!++;
      if (goldTied) units.goldPairs[g + 4]!++;
    }
  }
  return units;
}

/**
 * Dense numbers 0..size-1 for some task ids (comparison ids): the offset from the lowest while they span few values (a
 * campaign's comparison ids are usually near contiguous), else numbers handed out by a map.
 */
export interface TaskSlots {
  size: number;
  of(task: number): number;
}

export function taskSlots(tasks: Int32Array): TaskSlots {
  let [low, high] = [Infinity, -Infinity];
  for (let i = 0; i < tasks.length; i++) {
    low = Math.min(low, tasks[i]!);
    high = Math.max(high, tasks[i]!);
  }
  if (tasks.length === 0) return { size: 0, of: () => -1 };
  if (high - low <= 8 * tasks.length + 1024) return { size: high - low + 1, of: (task) => task - low };
  const numbers = new Map<number, number>();
  for (let i = 0; i < tasks.length; i++) if (!numbers.has(tasks[i]!)) numbers.set(tasks[i]!, numbers.size);
  return { size: numbers.size, of: (task) => numbers.get(task)! };
}

/** The slots a unit places, ascending. */
export function slotsOf(units: Pick<RankingUnits, 'present'>, u: number): number[] {
  const slots: number[] = [];
  for (let s = 0; s < MAX_SLOTS; s++) if (units.present[u]! & (1 << s)) slots.push(s);
  return slots;
}

/** Share of the other slots slot `s` of unit `u` beat, ties as half, among `size` slots. */
export function shareBeaten(units: Pick<RankingUnits, 'wins' | 'ties'>, u: number, s: number, size: number): number {
  return (units.wins[u * MAX_SLOTS + s]! + units.ties[u * MAX_SLOTS + s]! / 2) / (size - 1);
}

/** Mid-rank of slot `s` in unit `u` (1 = best, tied slots sharing the mean of their ranks) among `size` slots. */
export function midRankOf(units: Pick<RankingUnits, 'wins' | 'ties'>, u: number, s: number, size: number): number {
  return size - units.wins[u * MAX_SLOTS + s]! - units.ties[u * MAX_SLOTS + s]! / 2;
}

/** Sum of t^3 - t over the unit's tied groups: each slot in a group of t adds t^2 - 1. */
export function tieTermOf(units: Pick<RankingUnits, 'ties'>, u: number, slots: readonly number[]): number {
  let term = 0;
  for (const s of slots) term += (units.ties[u * MAX_SLOTS + s]! + 1) ** 2 - 1;
  return term;
}
