// Kendall's rank statistics for rankings: W (concordance of several rankings of the same objects, corrected for
// ties) and tau-b (two rankings), with the mid-ranks both rest on.

/** Ranks 1..n of `values` (1 = the smallest), tied values sharing the mean of the ranks they span. */
export function midRanks(values: readonly number[]): number[] {
  const order = values.map((v, i) => ({ v, i })).sort((x, y) => x.v - y.v);
  const ranks = new Array<number>(values.length);
  for (let start = 0; start < order.length; ) {
    let end = start;
    while (end + 1 < order.length && order[end + 1]!.v === order[start]!.v) end++;
    for (let k = start; k <= end; k++) ranks[order[k]!.i] = (start + end) / 2 + 1;
    start = end + 1;
  }
  return ranks;
}

/** Sum of t^3 - t over the groups of tied values (t values each) of one ranking: the tie term of W. */
export function tieTerm(values: readonly number[]): number {
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let term = 0;
  for (const t of counts.values()) term += t ** 3 - t;
  return term;
}

export interface KendallW {
  /** Null when undefined: fewer than 2 rankings or 2 objects, or every ranking ties every object. */
  w: number | null;
  /** Friedman's chi-squared, m (n - 1) W, on n - 1 degrees of freedom. */
  chiSquared: number | null;
  df: number;
}

/**
 * Kendall's coefficient of concordance W of m rankings of the same n objects (`rankings[r][i]`: ranker r's
 * score or rank of object i; each ranking is turned into mid-ranks, so ties are allowed), corrected for ties
 * (Kendall 1948): W = 12 S / (m^2 (n^3 - n) - m sum T), S the sum of squared deviations of the objects' rank
 * sums from their mean m (n + 1) / 2, T the tie term of each ranking (`tieTerm`).
 */
export function kendallW(rankings: readonly (readonly number[])[]): KendallW {
  const m = rankings.length;
  const n = rankings[0]?.length ?? 0;
  if (rankings.some((r) => r.length !== n)) throw new RangeError('every ranking must rank the same objects');
  const df = Math.max(0, n - 1);
  if (m < 2 || n < 2) return { w: null, chiSquared: null, df };
  const sums = new Float64Array(n);
  let ties = 0;
  for (const ranking of rankings) {
    midRanks(ranking).forEach((rank, i) => (sums[i]! += rank));
    ties += tieTerm(ranking);
  }
  return concordance(sums, m, ties);
}

/** W from the objects' rank sums over m rankings and the rankings' summed tie terms (see `kendallW`). */
export function concordance(rankSums: ArrayLike<number>, m: number, tieTerms: number): KendallW {
  const n = rankSums.length;
  const df = Math.max(0, n - 1);
  const mean = (m * (n + 1)) / 2;
  let s = 0;
  for (let i = 0; i < n; i++) s += (rankSums[i]! - mean) ** 2;
  const denominator = m * m * (n ** 3 - n) - m * tieTerms;
  if (m < 2 || n < 2 || denominator <= 0) return { w: null, chiSquared: null, df };
  const w = (12 * s) / denominator;
  return { w, chiSquared: m * df * w, df };
}

/** Pairs of objects as two rankings order them: the counts tau-b is made of. */
export interface PairConcordance {
  /** Pairs of objects compared. */
  pairs: number;
  concordant: number;
  discordant: number;
  /** Pairs the first (second) ranking ties, including those both tie. */
  tiedFirst: number;
  tiedSecond: number;
}

/** Kendall's tau-b, (C - D) / sqrt((n0 - n1)(n0 - n2)); null when either ranking ties every pair. */
export function tauB(c: PairConcordance): number | null {
  const denominator = Math.sqrt((c.pairs - c.tiedFirst) * (c.pairs - c.tiedSecond));
  return denominator === 0 ? null : (c.concordant - c.discordant) / denominator;
}

/** Kendall's tau-b of two scorings of the same objects (any numbers; equal ones are ties). */
export function kendallTauB(x: readonly number[], y: readonly number[]): number | null {
  if (x.length !== y.length) throw new RangeError('both rankings must rank the same objects');
  const c: PairConcordance = { pairs: 0, concordant: 0, discordant: 0, tiedFirst: 0, tiedSecond: 0 };
  for (let i = 0; i < x.length; i++) {
    for (let j = i + 1; j < x.length; j++) {
      const [dx, dy] = [Math.sign(x[i]! - x[j]!), Math.sign(y[i]! - y[j]!)];
      c.pairs++;
      if (dx === 0) c.tiedFirst++;
      if (dy === 0) c.tiedSecond++;
      if (dx !== 0 && dy !== 0) {
        if (dx === dy) c.concordant++;
        else c.discordant++;
      }
    }
  }
  return tauB(c);
}
