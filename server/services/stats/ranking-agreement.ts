// The agreement of whole rankings: Kendall's W and Krippendorff's ordinal alpha on ranks, computed on the request's
// thread with the other panels while the stats thread computes the agreement panel.
import type { z } from 'zod';
import type { ZAgreementSchema } from '../../contract/stats';
import { bootstrapGrouped, groupIdentical } from '../../domain/stats/bootstrap';
import { concordance } from '../../domain/stats/kendall';
import { krippendorffAlphaEstimate, reliabilityFromIndexGroups } from '../../domain/stats/krippendorff';
import { MAX_SLOTS, midRankOf, tieTermOf, type RankingUnits } from './ranking-units';

export type RankingAgreement = NonNullable<z.infer<typeof ZAgreementSchema>['ranking']>;

/** The columns of the ranking units that rankingAgreement reads. */
export type RankingAgreementUnits = Pick<RankingUnits, 'count' | 'task' | 'slots' | 'counted' | 'gold' | 'present' | 'wins' | 'ties'>;

/**
 * The counted rankings of non-gold tasks by task, tasks in the order of their first unit: task t's units are
 * members[start[t]..start[t + 1]), ascending; only tasks with two or more, placing the same slots. (A counting sort
 * into typed arrays: a list per task, 83,000 of them at 250,000 rankings, cost this panel a fifth of its time in
 * allocations and their collection.)
 */
function rankingsByTask(units: RankingAgreementUnits): { rankings: number; start: Int32Array; members: Int32Array } {
  // Each unit's task numbered in the order of first appearance (-1: a unit left out), through the tasks' slots that
  // rankingUnits made (a map of 83,000 tasks cost a third of this function).
  const { slots } = units;
  const numberOf = new Int32Array(slots.size).fill(-1);
  const taskOfUnit = new Int32Array(units.count).fill(-1);
  let [rankings, tasks] = [0, 0];
  for (let u = 0; u < units.count; u++) {
    if (!units.counted[u] || units.gold[u]) continue;
    rankings++;
    const at = slots.of(units.task[u]!);
    if (numberOf[at] === -1) numberOf[at] = tasks++;
    taskOfUnit[u] = numberOf[at]!;
  }
  const offsets = new Int32Array(tasks + 1);
  for (let u = 0; u < units.count; u++) if (taskOfUnit[u] !== -1) offsets[taskOfUnit[u]! + 1]!++;
  for (let t = 0; t < tasks; t++) offsets[t + 1]! += offsets[t]!;
  const sorted = new Int32Array(rankings);
  const next = offsets.slice(0, tasks);
  for (let u = 0; u < units.count; u++) if (taskOfUnit[u] !== -1) sorted[next[taskOfUnit[u]!]!++] = u;
  // Kept in place: the tasks with two or more units that place the same slots.
  const start = [0];
  let kept = 0;
  for (let t = 0; t < tasks; t++) {
    const [from, to] = [offsets[t]!, offsets[t + 1]!];
    let same = to - from >= 2;
    for (let at = from + 1; at < to && same; at++) same = units.present[sorted[at]!] === units.present[sorted[from]!];
    if (!same) continue;
    sorted.copyWithin(kept, from, to);
    kept += to - from;
    start.push(kept);
  }
  return { rankings, start: Int32Array.from(start), members: sorted.subarray(0, kept) };
}

/** Slots a ranking places: the bits set in its `present`. */
function slotCount(present: number): number {
  let n = 0;
  for (let bits = present; bits !== 0; bits &= bits - 1) n++;
  return n;
}

/** Turns twice-mid-ranks, in place, into indices into the distinct mid-ranks, which it returns ascending. */
function indexMidRanks(doubled: Int32Array): number[] {
  const indexOf = new Int32Array(2 * MAX_SLOTS + 1).fill(-1);
  for (let at = 0; at < doubled.length; at++) indexOf[doubled[at]!] = 0;
  const values: number[] = [];
  indexOf.forEach((seen, twice) => seen === 0 && (indexOf[twice] = values.push(twice / 2) - 1));
  for (let at = 0; at < doubled.length; at++) doubled[at] = indexOf[doubled[at]!]!;
  return values;
}

/**
 * Kendall's W (tie-corrected) of each task's rankings, averaged over tasks, and Krippendorff's ordinal alpha
 * on mid-ranks (a unit: one response of a task, its values the ranks the raters gave it); both bootstrapped
 * over tasks, since the responses of one ranking are ranked against each other.
 */
export function rankingAgreement(units: RankingAgreementUnits, options: { rounds: number; seed: number }): RankingAgreement {
  const { rankings, start, members } = rankingsByTask(units);
  const tasks = start.length - 1;
  // Alpha's units: the slots of each task (a group), each with the mid-ranks its rankings gave it, as twice the
  // mid-rank (an integer: ranks are whole or halves) in flat columns, no arrays per slot.
  let [unitCount, valueCount] = [0, 0];
  for (let t = 0; t < tasks; t++) {
    const slots = slotCount(units.present[members[start[t]!]!]!);
    unitCount += slots;
    valueCount += slots * (start[t + 1]! - start[t]!);
  }
  const groupStart = new Int32Array(tasks + 1);
  const unitStart = new Int32Array(unitCount + 1);
  const doubled = new Int32Array(valueCount);
  // One pass over the tasks: each one's W (from its slots' rank sums) and its units for alpha.
  const perTask: number[] = [];
  const slots: number[] = [];
  let [unit, value] = [0, 0];
  for (let t = 0; t < tasks; t++) {
    const [from, to] = [start[t]!, start[t + 1]!];
    slots.length = 0;
    for (let s = 0; s < MAX_SLOTS; s++) if (units.present[members[from]!]! & (1 << s)) slots.push(s);
    const sums = new Float64Array(slots.length);
    let ties = 0;
    for (let at = 0; at < slots.length; at++) {
      for (let i = from; i < to; i++) {
        const rank = midRankOf(units, members[i]!, slots[at]!, slots.length);
        sums[at]! += rank;
        doubled[value++] = 2 * rank;
      }
      unitStart[++unit] = value;
    }
    for (let i = from; i < to; i++) ties += tieTermOf(units, members[i]!, slots);
    const { w } = concordance(sums, to - from, ties);
    if (w !== null) perTask.push(w);
    groupStart[t + 1] = unit;
  }
  // Tasks with the same W contribute alike: grouped, a round costs one draw per distinct value.
  const grouped = groupIdentical(perTask, (w) => w, (w) => w);
  const meanW = (weights: ArrayLike<number>) => {
    let [sum, n] = [0, 0];
    grouped.patterns.forEach((w, p) => ((sum += weights[p]! * w), (n += weights[p]!)));
    return n === 0 ? null : sum / n;
  };
  const kendallW = bootstrapGrouped(grouped.multiplicities, meanW, options);
  const values = indexMidRanks(doubled);
  const alpha = krippendorffAlphaEstimate(reliabilityFromIndexGroups(values, { groupStart, unitStart, indices: doubled }), 'ordinal', options);
  const estimate = (e: typeof alpha) => ({ value: e.value, ci: e.ci, units: e.units, rounds: e.rounds });
  return { rankings, tasks, kendallW: estimate(kendallW), alphaOrdinalRanks: estimate(alpha) };
}
