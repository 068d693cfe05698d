// Figures of whole rankings beside the pair figures: Kendall's W and ordinal alpha on ranks (agreement), and per
// rater "first card preferred" (position bias) and Kendall's tau against gold rankings.
import type { z } from 'zod';
import type { TReviewThresholds } from '../../contract/campaign';
import { ZReviewReasonSchema, type TRaterStats, type ZAgreementSchema } from '../../contract/stats';
import { bootstrapGrouped, groupIdentical } from '../../domain/stats/bootstrap';
import { addFirstCard, emptyFirstCardTally, firstCardTest } from '../../domain/stats/first-card';
import { concordance, tauB } from '../../domain/stats/kendall';
import { krippendorffAlphaEstimate, reliabilityFromUnitGroups } from '../../domain/stats/krippendorff';
import { MAX_SLOTS, midRankOf, shareBeaten, slotsOf, tieTermOf, type RankingUnits } from './ranking-units';
import type { RaterQualityRow } from './rater-table';

type RankingAgreement = NonNullable<z.infer<typeof ZAgreementSchema>['ranking']>;

/** The counted rankings of non-gold tasks, by task (tasks with two or more, placing the same slots). */
function rankingsByTask(units: RankingUnits): { rankings: number; tasks: number[][] } {
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
export function rankingAgreement(units: RankingUnits, options: { rounds: number; seed: number }): RankingAgreement {
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

type RankingRaterFigures = Pick<TRaterStats, 'firstCardShare' | 'firstCardP' | 'firstCardRankings' | 'goldTau' | 'goldRankings'>;

/**
 * Each rater's first-card share and test over all their standing rankings, and mean tau-b against gold rankings.
 * In a ranking campaign the first-card test, not the left-side rate of the derived pairs (whose binomial test
 * would count one ranking's pairs as independent), decides the side-bias review mark.
 */
export function withRankingRaterFigures<T extends RaterQualityRow>(raters: T[], units: RankingUnits, thresholds: TReviewThresholds): (T & RankingRaterFigures)[] {
  const tallies = raters.map(() => emptyFirstCardTally());
  const gold = raters.map(() => ({ sum: 0, n: 0 }));
  for (let u = 0; u < units.count; u++) {
    const slots = slotsOf(units, u);
    const first = slots.findIndex((s) => units.shownBefore[u * MAX_SLOTS + s] === slots.length - 1);
    if (first !== -1) addFirstCard(tallies[units.rater[u]!]!, slots.map((s) => shareBeaten(units, u, s, slots.length)), first);
    if (units.gold[u]) {
      const g = u * 5;
      const tau = tauB({ pairs: units.goldPairs[g]!, concordant: units.goldPairs[g + 1]!, discordant: units.goldPairs[g + 2]!, tiedFirst: units.goldPairs[g + 3]!, tiedSecond: units.goldPairs[g + 4]! });
      if (tau !== null) {
        gold[units.rater[u]!]!.sum += tau;
        gold[units.rater[u]!]!.n++;
      }
    }
  }
  return raters.map((rater, r) => {
    const test = firstCardTest(tallies[r]!);
    const biased = rater.judgments >= thresholds.minimumJudgments && test.p !== null && test.p < thresholds.maxSideBiasPValue;
    const marked = new Set(rater.review);
    const review = ZReviewReasonSchema.options.filter((reason) => (reason === 'side-bias' ? biased : marked.has(reason)));
    return {
      ...rater,
      review,
      firstCardShare: test.share,
      firstCardP: test.p,
      firstCardRankings: test.rankings,
      goldTau: gold[r]!.n === 0 ? null : gold[r]!.sum / gold[r]!.n,
      goldRankings: gold[r]!.n,
    };
  });
}

