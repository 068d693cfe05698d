// Which standing judgments count, in memory (the SQL half of the rule is server/db/sql/counted-judgments.ts):
// a judgment counts when its rater is not excluded, it was not made as gold, and, on a non-gold comparison,
// it is among the k earliest such judgments. Only comparisons holding more than k candidates ("crowded",
// rare: after a rater is re-included) need the order, which the caller reads from the database.

export interface CountingInput {
  /** Per judgment: index of its rater, of its comparison, and 1 when it was made as gold. */
  rater: Int32Array;
  comparison: Int32Array;
  asGold: Uint8Array;
  /** Per rater: 1 when excluded. */
  raterExcluded: Uint8Array;
  /** Per comparison: k, and 1 when it is a gold item (no k: every judgment on it is a gold check). */
  target: Int32Array;
  isGold: Uint8Array;
}

export interface Counting {
  /** Per judgment: 1 when it counts, before the surplus on crowded comparisons is taken out. */
  counted: Uint8Array;
  /** Indexes of the non-gold comparisons with more candidates than k: their surplus must be read and dropped. */
  crowded: number[];
}

export function countJudgments(input: CountingInput): Counting {
  const counted = new Uint8Array(input.rater.length);
  for (let i = 0; i < counted.length; i++) counted[i] = input.asGold[i] ? 0 : 1 - input.raterExcluded[input.rater[i]!]!;
  const perComparison = new Int32Array(input.target.length);
  for (let i = 0; i < counted.length; i++) perComparison[input.comparison[i]!]! += counted[i]!;
  const crowded: number[] = [];
  perComparison.forEach((n, c) => {
    if (!input.isGold[c] && n > input.target[c]!) crowded.push(c);
  });
  return { counted, crowded };
}

/** Un-counts the judgments `isSurplus` names (those beyond the k earliest of a crowded comparison); returns how many it dropped. */
export function dropSurplus(counted: Uint8Array, isSurplus: (i: number) => boolean): number {
  let dropped = 0;
  for (let i = 0; i < counted.length; i++) {
    if (counted[i] && isSurplus(i)) {
      counted[i] = 0;
      dropped++;
    }
  }
  return dropped;
}
