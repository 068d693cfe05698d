// The agreement of whole rankings: Kendall's W and Krippendorff's ordinal alpha on ranks, computed on the stats
// thread (beside the pairwise Cohen kappas) while the request's thread computes the other panels.
import type { z } from 'zod';
import type { ZAgreementSchema } from '../../contract/stats';
import { bootstrapGrouped, groupIdentical } from '../../domain/stats/bootstrap';
import { concordance } from '../../domain/stats/kendall';
import { krippendorffAlphaEstimate, reliabilityFromUnitGroups } from '../../domain/stats/krippendorff';
import { runOnStatsThread } from '../../process/stats-thread';
import { midRankOf, slotsOf, tieTermOf, type RankingUnits } from './ranking-units';

export type RankingAgreement = NonNullable<z.infer<typeof ZAgreementSchema>['ranking']>;

/** The columns of the ranking units that rankingAgreement reads (what the stats thread is sent). */
export type RankingAgreementUnits = Pick<RankingUnits, 'count' | 'task' | 'counted' | 'gold' | 'present' | 'wins' | 'ties'>;

/** The counted rankings of non-gold tasks, by task (tasks with two or more, placing the same slots). */
function rankingsByTask(units: RankingAgreementUnits): { rankings: number; tasks: number[][] } {
  const byTask = new Map<number, number[]>();
  let rankings = 0;
  for (let u = 0; u < units.count; u++) {
    if (!units.counted[u] || units.gold[u]) continue;
    rankings++;
    const list = byTask.get(units.task[u]!);
    if (list) list.push(u);
    else byTask.set(units.task[u]!, [u]);
  }
  const tasks = [...byTask.values()].filter((list) => list.length >= 2 && list.every((u) => units.present[u] === units.present[list[0]!]));
  return { rankings, tasks };
}

/**
 * Kendall's W (tie-corrected) of each task's rankings, averaged over tasks, and Krippendorff's ordinal alpha
 * on mid-ranks (a unit: one response of a task, its values the ranks the raters gave it); both bootstrapped
 * over tasks, since the responses of one ranking are ranked against each other.
 */
export function rankingAgreement(units: RankingAgreementUnits, options: { rounds: number; seed: number }): RankingAgreement {
  const { rankings, tasks } = rankingsByTask(units);
  // One pass over the tasks: each one's W (from its slots' rank sums) and its units for alpha (a slot's mid-ranks).
  const perTask: number[] = [];
  const groups: number[][][] = [];
  for (const list of tasks) {
    const slots = slotsOf(units, list[0]!);
    const sums = new Float64Array(slots.length);
    const group: number[][] = [];
    let ties = 0;
    slots.forEach((s, at) => {
      const ranks = new Array<number>(list.length);
      for (let i = 0; i < list.length; i++) sums[at]! += ranks[i] = midRankOf(units, list[i]!, s, slots.length);
      group.push(ranks);
    });
    for (const u of list) ties += tieTermOf(units, u, slots);
    const { w } = concordance(sums, list.length, ties);
    if (w !== null) perTask.push(w);
    groups.push(group);
  }
  // Tasks with the same W contribute alike: grouped, a round costs one draw per distinct value.
  const grouped = groupIdentical(perTask, (w) => w, (w) => w);
  const meanW = (weights: ArrayLike<number>) => {
    let [sum, n] = [0, 0];
    grouped.patterns.forEach((w, p) => ((sum += weights[p]! * w), (n += weights[p]!)));
    return n === 0 ? null : sum / n;
  };
  const kendallW = bootstrapGrouped(grouped.multiplicities, meanW, options);
  const alpha = krippendorffAlphaEstimate(reliabilityFromUnitGroups(groups), 'ordinal', options);
  const estimate = (e: typeof alpha) => ({ value: e.value, ci: e.ci, units: e.units, rounds: e.rounds });
  return { rankings, tasks: tasks.length, kendallW: estimate(kendallW), alphaOrdinalRanks: estimate(alpha) };
}

/**
 * `rankingAgreement` on the stats thread, queued behind the agreement panel's Cohen kappas: at 250,000 rankings the
 * request's thread held the end of the request by some half a second while the stats thread, done with Cohen, waited.
 * The thread gets copies of the columns it reads (moved, not copied twice); the units stay usable here.
 */
export function rankingAgreementOnStatsThread(units: RankingUnits, options: { rounds: number; seed: number }): Promise<RankingAgreement> {
  const copies: RankingAgreementUnits = {
    count: units.count,
    task: units.task.slice(),
    counted: units.counted.slice(),
    gold: units.gold.slice(),
    present: units.present.slice(),
    wins: units.wins.slice(),
    ties: units.ties.slice(),
  };
  const transfer = [copies.task.buffer, copies.counted.buffer, copies.gold.buffer, copies.present.buffer, copies.wins.buffer, copies.ties.buffer] as ArrayBuffer[];
  return runOnStatsThread('rankingAgreement', { units: copies, options }, transfer);
}
