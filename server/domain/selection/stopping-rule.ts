// The stopping rule: is the leaderboard's order answered? Per adjacent pair of models (in rating order), settled
// when the bootstrap interval of their rating difference excludes the margin; the campaign is answered when
// every adjacent pair is settled or its judgment budget is spent. README "Active pair selection".
import { percentileInterval } from '../stats/bootstrap';
import type { Leaderboard } from '../stats/bradley-terry';

export interface AdjacentPair {
  /** The higher-rated model of the pair, and the one just below it. */
  upper: string;
  lower: string;
  /** Rating of upper minus rating of lower (Elo points, >= 0). */
  difference: number;
  /** Bootstrap percentile interval of the difference; null when there are no replicates. */
  ci: [number, number] | null;
  settled: boolean;
  /**
   * Rough judgments still needed to settle it: the interval narrows as 1/sqrt(n), so n grows by (width needed /
   * width now)^2 with the same mix of pairs, assuming the difference stays; 0 when settled, null when the difference
   * is within the margin (no number of judgments settles it at this estimate) or so close to it that the figure
   * passes OUT_OF_REACH.
   */
  moreJudgments: number | null;
}

export interface StoppingRuleOptions {
  /** Elo points the difference must clear (0: its sign). */
  margin: number;
  /** Judgments after which the campaign counts as answered anyway (null: none). */
  budget: number | null;
  /** Judgments spent toward the budget (the campaign's counted judgments, whichever the leaderboard rests on). */
  spent: number;
  level: number;
}

export interface StoppingVerdict {
  pairs: AdjacentPair[];
  /** Models without an estimate (no judgments yet, won or lost every comparison, not connected): the order is open. */
  unrated: string[];
  /** "settled": every adjacent pair is; "budget": the budget is spent; null: not answered. */
  answered: 'settled' | 'budget' | null;
  /** Judgments behind the leaderboard. */
  judgments: number;
  /** Rough judgments still needed until every adjacent pair is settled (the most any one needs); null when unknown. */
  moreJudgments: number | null;
}

export function adjacentPairs(board: Leaderboard, judgments: number, o: Pick<StoppingRuleOptions, 'margin' | 'level'>): AdjacentPair[] {
  const rated = board.ratings.map((r, i) => ({ r, i })).filter(({ r }) => r.rating !== null);
  const pairs: AdjacentPair[] = [];
  for (let n = 0; n + 1 < rated.length; n++) {
    const [u, l] = [rated[n]!, rated[n + 1]!];
    const [ru, rl] = [board.replicates[u.i]!, board.replicates[l.i]!];
    const ci = percentileInterval(ru.map((x, r) => x - rl[r]!), o.level);
    const difference = u.r.rating! - l.r.rating!;
    const settled = ci !== null && (ci[0] > o.margin || ci[1] < -o.margin);
    pairs.push({ upper: u.r.model, lower: l.r.model, difference, ci, settled, moreJudgments: settled ? 0 : moreNeeded(difference, ci, judgments, o.margin) });
  }
  return pairs;
}

function moreNeeded(difference: number, ci: [number, number] | null, judgments: number, margin: number): number | null {
  if (ci === null || difference <= margin || judgments === 0) return null;
  // The lower end must rise from ci[0] to the margin: the half-width below the estimate shrinks by that factor.
  const below = difference - ci[0];
  const allowed = difference - margin;
  const more = Math.max(1, Math.ceil(judgments * ((below / allowed) ** 2 - 1)));
  return more <= OUT_OF_REACH ? more : null;
}

/**
 * Beyond this many more judgments a pair counts as out of reach (null), as a gap within the margin does: the
 * estimate grows as 1 / (gap - margin)^2, and two near-equal models (50 models, a few judgments a pair) gave
 * figures past 2^53, which no campaign collects and JSON cannot carry as an integer.
 */
const OUT_OF_REACH = 1_000_000_000;

/** Judgments behind a leaderboard: each pair's once. */
export function boardJudgments(board: Leaderboard): number {
  return board.pairJudgments.reduce((sum, row, i) => sum + row.slice(i + 1).reduce((a, b) => a + b, 0), 0);
}

export function stoppingVerdict(board: Leaderboard, o: StoppingRuleOptions): StoppingVerdict {
  const judgments = boardJudgments(board);
  const pairs = adjacentPairs(board, judgments, o);
  const unrated = board.ratings.filter((r) => r.rating === null).map((r) => r.model);
  const allSettled = unrated.length === 0 && pairs.length > 0 && pairs.every((p) => p.settled);
  const needs = pairs.map((p) => p.moreJudgments);
  const unknown = pairs.length === 0 || unrated.length > 0 || needs.some((n) => n === null);
  const moreJudgments = allSettled ? 0 : unknown ? null : Math.max(...needs.map((n) => n!));
  const answered = allSettled ? 'settled' : o.budget !== null && o.spent >= o.budget ? 'budget' : null;
  return { pairs, unrated, answered, judgments, moreJudgments };
}
