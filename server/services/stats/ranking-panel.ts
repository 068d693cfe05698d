// Per rater figures of whole rankings beside the pair figures: "first card preferred" (position bias) and Kendall's tau
// against gold rankings (the agreement of rankings: ranking-agreement.ts).
import type { TReviewThresholds } from '../../contract/campaign';
import { ZReviewReasonSchema, type TRaterStats } from '../../contract/stats';
import { addFirstCard, emptyFirstCardTally, firstCardTest } from '../../domain/stats/first-card';
import { tauB } from '../../domain/stats/kendall';
import { MAX_SLOTS, shareBeaten, slotsOf, type RankingUnits } from './ranking-units';
import type { RaterQualityRow } from './rater-table';

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

