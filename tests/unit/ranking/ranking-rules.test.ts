// A rater's ranking: what is refused, the shown order <-> slot mapping, and the C(K,2) pairs it implies.
import { describe, expect, it } from 'vitest';
import { allTied, expandRanking, pairOutcome, rankingProblem, restrictRanking, toShown, toSlots } from '../../../server/domain/ranking';

const rules = { size: 4, allowTie: true, allowBothBad: true };

describe('rankingProblem', () => {
  it('accepts a full ranking, with ties when allowed, and allBad with or without an order', () => {
    expect(rankingProblem([[2], [0, 3], [1]], false, rules)).toBeNull();
    expect(rankingProblem([[0], [1], [2], [3]], true, rules)).toBeNull();
    expect(rankingProblem(undefined, true, rules)).toBeNull();
  });

  it('refuses duplicate, out-of-range, missing and fractional indexes, empty groups, and no answer at all', () => {
    expect(rankingProblem([[0], [1], [1], [3]], false, rules)).toMatch(/card 1 is ranked twice/);
    expect(rankingProblem([[0], [1], [2], [4]], false, rules)).toMatch(/card index 4 is out of range: cards are 0 to 3/);
    expect(rankingProblem([[0], [1], [2], [-1]], false, rules)).toMatch(/out of range/);
    expect(rankingProblem([[0], [1.5], [2], [3]], false, rules)).toMatch(/out of range/);
    expect(rankingProblem([[0], [1], [2]], false, rules)).toMatch(/card 3 missing/);
    expect(rankingProblem([[0], [], [1, 2, 3]], false, rules)).toMatch(/empty/);
    expect(rankingProblem(undefined, false, rules)).toMatch(/give a ranking/);
  });

  it('refuses ties and allBad the design forbids', () => {
    expect(rankingProblem([[0, 1], [2], [3]], false, { ...rules, allowTie: false })).toMatch(/does not allow ties/);
    expect(rankingProblem([[0], [1], [2], [3]], true, { ...rules, allowBothBad: false })).toMatch(/does not offer "all bad"/);
  });
});

describe('shown order and slots', () => {
  it('maps cards to slots and back', () => {
    const shownOrder = [2, 0, 3, 1]; // card 0 shows slot 2, ...
    const shown = [[1], [0, 3], [2]];
    const slots = toSlots(shown, shownOrder);
    expect(slots).toEqual([[0], [1, 2], [3]]);
    expect(toShown(slots, shownOrder)).toEqual(shown);
  });

  it('restricts a file ranking to the ranked slots, keeping its order and ties', () => {
    expect(restrictRanking([2, -1, 0, 2, 5])).toEqual([[2], [0, 3], [4]]);
  });
});

describe('expandRanking', () => {
  it('gives C(K,2) pairs, a tie for a shared group, BOTH_BAD when all bad', () => {
    const pairs = expandRanking([[3], [0, 2], [1]], false);
    expect(pairs).toHaveLength(6);
    expect(pairs).toEqual([
      { a: 0, b: 1, outcome: 'A' },
      { a: 0, b: 2, outcome: 'TIE' },
      { a: 0, b: 3, outcome: 'B' },
      { a: 1, b: 2, outcome: 'B' },
      { a: 1, b: 3, outcome: 'B' },
      { a: 2, b: 3, outcome: 'B' },
    ]);
    expect(expandRanking(allTied(3), true).map((p) => p.outcome)).toEqual(['BOTH_BAD', 'BOTH_BAD', 'BOTH_BAD']);
    expect(pairOutcome([[1], [0]], 0, 1, true)).toBe('B');
  });
});
