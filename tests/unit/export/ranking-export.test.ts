// Ranking tasks in exports: rule juxta-rank-1 (Borda), the pairs each rater's ranking gives, which pairs a pair
// format writes, and KTO's top and bottom groups.
import { describe, expect, it } from 'vitest';
import { aggregateRankings, derivedPairJudgments, ktoRankingLabels, selectedPairs, type RankingJudgment } from '../../../server/domain/export/ranking';

const at = new Date('2026-01-01T00:00:00Z');
const judgment = (ranking: number[][] | null, allBad = false): RankingJudgment => ({ ranking, allBad, criteria: null, raterPseudonym: 'r', createdAt: at });

describe('juxta-rank-1', () => {
  it('sums Borda scores (ties as half) and ties slots whose scores are equal', () => {
    const result = aggregateRankings([judgment([[0], [1], [2], [3]]), judgment([[1], [0], [2, 3]]), judgment([[0], [1, 2], [3]])], 4, { minJudgments: 1, criterion: null });
    // slot 0: 3 + 2 + 3; slot 1: 2 + 3 + 1.5; slot 2: 1 + 0.5 + 1.5; slot 3: 0 + 0.5 + 0.
    expect(result).toMatchObject({ kept: true, scores: [8, 6.5, 3, 0.5], ranking: [[0], [1], [2], [3]], n: 3 });
    expect(aggregateRankings([judgment([[0], [1], [2]]), judgment([[1], [0], [2]])], 3, { minJudgments: 1, criterion: null })).toMatchObject({ ranking: [[0, 1], [2]] });
  });

  it('reads "all bad" as every slot tied, takes a criterion\'s ranking, and drops tasks with too few rankings', () => {
    expect(aggregateRankings([judgment(null, true)], 3, { minJudgments: 1, criterion: null })).toMatchObject({ ranking: [[0, 1, 2]], allBad: 1 });
    const byCriterion: RankingJudgment = { ...judgment([[0], [1], [2]]), criteria: { safety: { ranking: [[2], [1], [0]] } } };
    expect(aggregateRankings([byCriterion], 3, { minJudgments: 1, criterion: 'safety' })).toMatchObject({ ranking: [[2], [1], [0]] });
    expect(aggregateRankings([judgment([[0], [1], [2]])], 3, { minJudgments: 2, criterion: null })).toEqual({ kept: false, reason: 'too-few-judgments', n: 1 });
  });

  it('gives one pair judgment per ranking, in slot terms (A = the lower slot)', () => {
    const pairs = derivedPairJudgments([judgment([[2], [0, 1]]), judgment(null, true), judgment([[1], [2], [0]])], 3, 0, 2, null);
    expect(pairs.map((p) => p.choice)).toEqual(['B', 'BOTH_BAD', 'B']);
    expect(derivedPairJudgments([judgment([[2], [0, 1]])], 3, 0, 1, null)[0]).toMatchObject({ choice: 'TIE', strength: null });
  });
});

describe('pairs a pair format writes', () => {
  const ranking = [[2], [0, 3], [1]];
  it('all, best against each, adjacent groups', () => {
    expect(selectedPairs('all', ranking, 4)).toHaveLength(6);
    expect(selectedPairs('best-vs-each', ranking, 4)).toEqual([[0, 2], [1, 2], [2, 3]]);
    expect(selectedPairs('adjacent', ranking, 4)).toEqual([[0, 1], [0, 2], [1, 3], [2, 3]]);
  });

  it('KTO: top group desirable, bottom group undesirable, nothing for an all-tied ranking', () => {
    expect(ktoRankingLabels(ranking)).toEqual([[2, true], [1, false]]);
    expect(ktoRankingLabels([[0, 1], [2, 3]])).toEqual([[0, true], [1, true], [2, false], [3, false]]);
    expect(ktoRankingLabels([[0, 1, 2]])).toEqual([]);
  });
});
