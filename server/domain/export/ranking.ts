// Ranking tasks in exports: the raters' rankings aggregated into one by a versioned rule (juxta-rank-1), the
// derived pairs each rater's ranking gives (aggregated per pair by juxta-agg-1 like any comparison), which of
// them a pair export writes, and the lines of the `ranking` format and of KTO for a ranking.
import { allTied, pairOutcome, type Ranking } from '../ranking';
import type { Choice, CountedJudgment, CriterionAnswer, Turn } from './types';

/**
 * Rule juxta-rank-1. Bump the version whenever any step below changes what an export contains.
 *
 * 1. Rankings: each counted judgment's ranking of the task's K slots (groups best first, a group = a tie), or
 *    with `criterion` set, that criterion's ranking (a judgment without it does not count); "all bad" without
 *    an order stands for every slot tied. `n` is the number of rankings.
 * 2. Fewer than `minJudgments` rankings: dropped (`too-few-judgments`).
 * 3. Borda count: in each ranking a slot scores the number of slots it beats plus half the number it ties with
 *    (0 .. K-1); a slot's score is the sum over the rankings.
 * 4. The aggregated ranking orders the slots by score, highest first; slots with equal scores form one tied
 *    group. `ties` lists those groups.
 */
export const RANKING_RULE_VERSION = 'juxta-rank-1';

/** A ranking judgment as the export reads it: its ranking (null for "all bad" without an order). */
export interface RankingJudgment {
  ranking: Ranking | null;
  allBad: boolean;
  criteria: Record<string, { ranking?: Ranking } | undefined> | null;
  raterPseudonym: string;
  createdAt: Date;
}

export interface AggregatedRanking {
  kept: true;
  /** Groups of slots, best first. */
  ranking: Ranking;
  /** Borda score of each slot (step 3). */
  scores: number[];
  n: number;
  /** Rankings that marked every response bad. */
  allBad: number;
}

export type RankingAggregation = AggregatedRanking | { kept: false; reason: 'too-few-judgments'; n: number };

/** A judgment's ranking for the rule (step 1); undefined when it has none for the criterion. */
export function rankingOf(judgment: RankingJudgment, size: number, criterion: string | null): Ranking | undefined {
  if (criterion !== null) return judgment.criteria?.[criterion]?.ranking;
  return judgment.ranking ?? (judgment.allBad ? allTied(size) : undefined);
}

/** Applies juxta-rank-1 (see RANKING_RULE_VERSION) to a task's counted rankings of `size` slots. */
export function aggregateRankings(judgments: readonly RankingJudgment[], size: number, options: { minJudgments: number; criterion: string | null }): RankingAggregation {
  const rankings = judgments.map((j) => rankingOf(j, size, options.criterion)).filter((r): r is Ranking => r !== undefined);
  const n = rankings.length;
  if (n === 0 || n < options.minJudgments) return { kept: false, reason: 'too-few-judgments', n };
  const scores = new Array<number>(size).fill(0);
  for (const ranking of rankings) {
    let above = 0;
    for (const group of ranking) {
      // Beats every slot in the groups below, ties with the others of its own group.
      for (const slot of group) scores[slot]! += size - above - group.length + (group.length - 1) / 2;
      above += group.length;
    }
  }
  const distinct = [...new Set(scores)].sort((x, y) => y - x);
  const ranking = distinct.map((score) => scores.flatMap((s, slot) => (s === score ? [slot] : [])));
  return { kept: true, ranking, scores, n, allBad: judgments.filter((j) => j.allBad && options.criterion === null).length };
}

/**
 * The judgments a ranking gives the pair of slots a < b, one per rater, as pair judgments (choice in slot terms:
 * A = slot a; strength none), so the pair rule juxta-agg-1 aggregates them like any comparison's.
 */
export function derivedPairJudgments(judgments: readonly RankingJudgment[], size: number, a: number, b: number, criterion: string | null): CountedJudgment[] {
  return judgments.flatMap((judgment) => {
    const ranking = rankingOf(judgment, size, criterion);
    if (ranking === undefined) return [];
    const answer: CriterionAnswer = { choice: pairOutcome(ranking, a, b, criterion === null && judgment.allBad) as Choice, strength: null };
    // The criterion's answer is the pair's answer: written where the pair rule looks for it.
    return [{ ...answer, criteria: criterion === null ? null : { [criterion]: answer }, raterPseudonym: judgment.raterPseudonym, createdAt: judgment.createdAt }];
  });
}

export const RANKING_PAIR_SELECTIONS = ['all', 'best-vs-each', 'adjacent'] as const;
export type RankingPairSelection = (typeof RANKING_PAIR_SELECTIONS)[number];

/**
 * The pairs of slots (a < b) a pair export writes for a ranking task: `all` C(K,2); `best-vs-each` the top group
 * of the aggregated ranking against every other slot; `adjacent` each slot against those of the next group.
 */
export function selectedPairs(selection: RankingPairSelection, aggregated: Ranking, size: number): [number, number][] {
  const pairs: [number, number][] = [];
  const ordered = (x: number, y: number): [number, number] => (x < y ? [x, y] : [y, x]);
  if (selection === 'all') {
    for (let a = 0; a < size; a++) for (let b = a + 1; b < size; b++) pairs.push([a, b]);
    return pairs;
  }
  const [top, ...rest] = aggregated;
  const below = selection === 'best-vs-each' ? [[top ?? [], rest.flat()]] : aggregated.slice(0, -1).map((group, g) => [group, aggregated[g + 1]!]);
  for (const [upper, lower] of below) for (const x of upper!) for (const y of lower!) pairs.push(ordered(x, y));
  return pairs.sort((p, q) => p[0] - q[0] || p[1] - q[1]);
}

/** A line of the `ranking` format. */
export interface RankingLine {
  group_id: string;
  prompt: Turn[];
  /** The task's responses in canonical slot order. */
  responses: string[];
  models: string[];
  /** Indexes into `responses`, best first (juxta-rank-1). */
  ranking: number[];
  /** Groups of indexes the aggregated ranking ties (each of two or more); empty when none. */
  ties: number[][];
  /** Borda score of each response (parallel to `responses`). */
  scores: number[];
  judgments: number;
  all_bad: number;
}

export function rankingLine(groupId: string, context: readonly Turn[], responses: readonly { model: string; content: string }[], result: AggregatedRanking): RankingLine {
  return {
    group_id: groupId,
    prompt: context.map(({ role, content }) => ({ role, content })),
    responses: responses.map((r) => r.content),
    models: responses.map((r) => r.model),
    ranking: result.ranking.flat(),
    ties: result.ranking.filter((group) => group.length > 1),
    scores: result.scores,
    judgments: result.n,
    all_bad: result.allBad,
  };
}

/**
 * KTO for a ranking: the top group of the aggregated ranking desirable (label true), the bottom group undesirable
 * (false), the middle left out; nothing when every slot is tied (no top apart from a bottom).
 */
export function ktoRankingLabels(aggregated: Ranking): [number, boolean][] {
  if (aggregated.length < 2) return [];
  return [...aggregated[0]!.map((slot): [number, boolean] => [slot, true]), ...aggregated[aggregated.length - 1]!.map((slot): [number, boolean] => [slot, false])];
}
