// The dashboard's rater table: quality figures of every rater of the campaign and their review marks.
import type { TReviewThresholds } from '../../contract/campaign';
import type { TRaterStats } from '../../contract/stats';
import { NO_CHOICE } from '../../db/repositories/stats';
import { assessRaters, othersPlurality } from '../../domain/stats/rater-quality';
import { raterPseudonym } from '../exports/rater-pseudonym';
import { pick, rowsWhere } from '../../domain/stats/columns';
import type { JudgmentTable } from './judgment-table';

/** A row of the rater table before the pairwise kappas (which come with the agreement panel) are added. */
export type RaterQualityRow = Omit<TRaterStats, 'pairKappa' | 'pairKappaRaters'>;

export function raterTable(table: JudgmentTable, campaignSeed: string, thresholds: TReviewThresholds): RaterQualityRow[] {
  const { comparisons } = table;
  // Usually every judgment has a choice (all do without a criterion): then the columns serve as they are.
  let answered = 0;
  for (let i = 0; i < table.choice.length; i++) if (table.choice[i] !== NO_CHOICE) answered++;
  const rows = answered === table.choice.length ? null : rowsWhere(table.choice.length, (i) => table.choice[i] !== NO_CHOICE);
  const take = <T extends Int32Array | Uint8Array | Int8Array | Float64Array>(column: T): T => (rows ? pick(column, rows) : column);
  const plurality = othersPlurality(table.comparison, table.choice, table.counted, comparisons.id.length);
  const comparison = take(table.comparison);
  // Each judgment's response lengths, by a loop over its comparison (a row per derived pair).
  const [lengthA, lengthB] = [new Int32Array(comparison.length), new Int32Array(comparison.length)];
  for (let j = 0; j < comparison.length; j++) {
    lengthA[j] = comparisons.lengthA[comparison[j]!]!;
    lengthB[j] = comparisons.lengthB[comparison[j]!]!;
  }
  // A judgment's gold answer: its comparison's, or the adjudicated one when it was made as gold on an adjudicated pair.
  // (A loop: TypedArray.from with a map function is slow, and this column has a row per derived pair.)
  const gold = new Int8Array(table.comparison.length);
  for (let i = 0; i < gold.length; i++) {
    const c = table.comparison[i]!;
    const code = table.asGold[i] ? comparisons.adjudicated[c]! : comparisons.gold[c]!;
    gold[i] = code === NO_CHOICE ? -1 : code;
  }
  const quality = assessRaters(
    {
      rater: take(table.rater),
      choice: take(table.choice),
      leftIsA: take(table.leftIsA),
      timeMs: take(Float64Array.from(table.timeMs)),
      lengthA,
      lengthB,
      othersPlurality: take(plurality),
      gold: take(gold),
    },
    table.raters.map((r) => ({ raterId: r.id, flagCount: r.flags })),
    thresholds,
  );
  return table.raters.map((rater, r) => {
    const q = quality[r]!;
    return {
      id: rater.id,
      name: rater.name,
      pseudonym: raterPseudonym(campaignSeed, rater.id),
      judgments: q.judgments,
      agreementWithOthers: q.agreementWithOthers.rate,
      agreementComparisons: q.agreementWithOthers.n,
      goldAccuracy: q.goldAccuracy.rate,
      goldJudgments: q.goldAccuracy.n,
      leftShare: q.leftChoice.rate,
      leftP: q.leftChoice.pValue,
      longerShare: q.longerChoice.rate,
      medianTimeMs: q.medianTimeMs,
      fastShare: q.fastShare.rate,
      flags: q.flagCount,
      excluded: rater.excluded,
      review: q.review,
    };
  });
}
