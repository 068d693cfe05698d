// Which judgments count, written once for every statement that needs it (stats, exports).
//
// A judgment is *standing* while not undone, and *counting* when standing and its rater is not excluded
// (now for stats, as of `asOf` for exports). Of a comparison's counting judgments, the k earliest count,
// k being the comparison's target (the earlier id first when two share a time); a gold comparison
// (target 0) has no k: all of its counting judgments count. A comparison holds more than k counting
// judgments only after a rater was included again.

/** The judgment's rank among the counting judgments of its comparison (1 = earliest); `j` aliases "Judgment". */
export function countingRank(j: string): string {
  return `row_number() OVER (PARTITION BY ${j}."comparisonId" ORDER BY ${j}."createdAt", ${j}.id)`;
}

/** SQL condition: a judgment of rank `rank` on a comparison of target `target` is among those that count. */
export function withinTarget(rank: string, target: string): string {
  return `(${target} = 0 OR ${rank} <= ${target})`;
}
