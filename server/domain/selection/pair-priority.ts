// The active selection rule: a priority per model pair from the fitted leaderboard and its bootstrap.
//
// A judgment of models i and j helps the ranking most when their order is still ambiguous and the two are
// close: the ambiguity is the bootstrap share of resamples that put the pair in the other order (Jamieson and
// Nowak 2011, "Active ranking using pairwise comparisons": query only pairs whose order is not yet implied),
// and closeness is the Fisher information of one Bradley-Terry judgment on their difference, p(1 - p)
// (Glickman and Jensen 2005, "Adaptive paired comparison design"). README "Active pair selection".
import { ELO_BASE, ELO_SCALE, type Leaderboard } from '../stats/bradley-terry';

/** One row per pair of models; the repository stores it in both orders, so the claim needs no collation to match it. */
export interface PairPriority {
  modelA: string;
  modelB: string;
  /** In [PRIORITY_FLOOR, 1]. */
  priority: number;
}

/** Settled pairs keep a little weight, so a wrong early verdict can still be overturned. */
export const PRIORITY_FLOOR = 0.01;

/** Share of bootstrap rounds that order models at positions i and j of `board.ratings` the other way from their ratings (ties half). */
export function reversedShare(board: Leaderboard, i: number, j: number): number {
  const [a, b] = [board.replicates[i]!, board.replicates[j]!];
  const sign = Math.sign(board.ratings[i]!.rating! - board.ratings[j]!.rating!) || 1;
  let reversed = 0;
  for (let r = 0; r < a.length; r++) {
    const d = Math.sign(a[r]! - b[r]!) * sign;
    if (d < 0) reversed += 1;
    else if (d === 0) reversed += 0.5;
  }
  return a.length === 0 ? 0.5 : reversed / a.length;
}

/** Probability that the model rated `ratingI` beats the one rated `ratingJ` under Bradley-Terry on the Elo scale. */
export function winProbability(ratingI: number, ratingJ: number): number {
  return 1 / (1 + ELO_BASE ** ((ratingJ - ratingI) / ELO_SCALE));
}

/**
 * Priorities of every pair of `models` (the campaign's; those not on the leaderboard too). `level` is the interval's
 * coverage: a pair counts as fully ambiguous while its reversed share is at least (1 - level) / 2 (its percentile
 * interval of the difference holds 0). A pair with a model that has no estimate gets 1: nothing is known about it yet.
 *
 * `full(a, b)`: whether the pair has no open place left (every comparison of it has its k judgments or leases). Its
 * question then has to be answered through a third model x: pairs (a, x) and (x, b) inherit its priority times the
 * information of that two-step path relative to a direct judgment, f_ax f_xb / (f_ax + f_xb) with f = 4 p (1 - p)
 * (the Fisher information of judgments in series; the same Glickman and Jensen information as above).
 */
export function pairPriorities(
  board: Leaderboard,
  models: readonly string[] = board.models,
  level = 0.95,
  full: (modelA: string, modelB: string) => boolean = () => false,
): PairPriority[] {
  const tail = (1 - level) / 2;
  const at = new Map(board.ratings.map((r, i) => [r.model, i]));
  const all = [...new Set([...board.models, ...models])];
  const rated = (x: number) => {
    const i = at.get(all[x]!);
    return i !== undefined && board.ratings[i]!.rating !== null && board.replicates[i]!.length > 0 ? i : undefined;
  };
  const information = (x: number, y: number) => {
    const p = winProbability(board.ratings[rated(x)!]!.rating!, board.ratings[rated(y)!]!.rating!);
    return 4 * p * (1 - p);
  };
  const n = all.length;
  const own = new Float64Array(n * n).fill(1);
  for (let x = 0; x < n; x++) {
    for (let y = x + 1; y < n; y++) {
      const [i, j] = [rated(x), rated(y)];
      if (i === undefined || j === undefined) continue;
      const ambiguity = Math.min(1, reversedShare(board, i, j) / tail);
      own[x * n + y] = own[y * n + x] = ambiguity * information(x, y);
    }
  }
  const priority = Float64Array.from(own);
  for (let x = 0; x < n; x++) {
    for (let y = x + 1; y < n; y++) {
      if (!full(all[x]!, all[y]!) || rated(x) === undefined || rated(y) === undefined || own[x * n + y]! <= PRIORITY_FLOOR) continue;
      for (let z = 0; z < n; z++) {
        if (z === x || z === y || rated(z) === undefined) continue;
        const [fxz, fzy] = [information(x, z), information(z, y)];
        const inherited = (own[x * n + y]! * fxz * fzy) / (fxz + fzy);
        priority[x * n + z] = priority[z * n + x] = Math.max(priority[x * n + z]!, inherited);
        priority[z * n + y] = priority[y * n + z] = Math.max(priority[z * n + y]!, inherited);
      }
    }
  }
  const rows: PairPriority[] = [];
  for (let x = 0; x < n; x++) {
    for (let y = x + 1; y < n; y++) rows.push({ modelA: all[x]!, modelB: all[y]!, priority: Math.max(PRIORITY_FLOOR, priority[x * n + y]!) });
  }
  return rows;
}
