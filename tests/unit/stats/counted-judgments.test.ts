// The in-memory half of the counting rule: exclusions, gold, and which comparisons hold more than k.
import { describe, expect, it } from 'vitest';
import { countJudgments, dropSurplus } from '../../../server/domain/stats/counted-judgments';

// Three raters (the third excluded), three comparisons: 0 with k = 2, 1 a gold item, 2 with k = 1.
const base = {
  raterExcluded: Uint8Array.from([0, 0, 1]),
  target: Int32Array.from([2, 0, 1]),
  isGold: Uint8Array.from([0, 1, 0]),
};

describe('countJudgments', () => {
  it('counts judgments of raters not excluded that were not made as gold, and names comparisons holding more than k', () => {
    const { counted, crowded } = countJudgments({
      ...base,
      //          on 0: r0, r1, r2 (excluded)   on 1 (gold): r0   on 2: r0, r1, r1 as gold
      rater: Int32Array.from([0, 1, 2, 0, 0, 1, 1]),
      comparison: Int32Array.from([0, 0, 0, 1, 2, 2, 2]),
      asGold: Uint8Array.from([0, 0, 0, 0, 0, 0, 1]),
    });
    expect([...counted]).toEqual([1, 1, 0, 1, 1, 1, 0]);
    // 0 holds exactly k counted; gold items are never crowded; 2 holds two where k is one.
    expect(crowded).toEqual([2]);
  });

  it('nothing is crowded when exclusions bring a comparison back to k', () => {
    const { crowded } = countJudgments({
      ...base,
      raterExcluded: Uint8Array.from([0, 1, 1]),
      rater: Int32Array.from([0, 1]),
      comparison: Int32Array.from([2, 2]),
      asGold: Uint8Array.from([0, 0]),
    });
    expect(crowded).toEqual([]);
  });
});

describe('dropSurplus', () => {
  it('un-counts only counted judgments that are surplus, and says how many', () => {
    const counted = Uint8Array.from([1, 0, 1, 1]);
    expect(dropSurplus(counted, (i) => i === 1 || i === 2)).toBe(1);
    expect([...counted]).toEqual([1, 0, 0, 1]);
  });
});
