// Rule juxta-agg-1 on hand-checked edge cases.

import { describe, expect, it } from 'vitest';
import type { AggregationOptions } from '../../../server/domain/export/aggregate';
import { AGGREGATION_RULE_VERSION, aggregate, DEFAULT_AGGREGATION } from '../../../server/domain/export/aggregate';
import { judgment } from './factories';

const majority: AggregationOptions = { ...DEFAULT_AGGREGATION };
const weighted: AggregationOptions = { ...DEFAULT_AGGREGATION, method: 'strength-weighted' };

describe('aggregate', () => {
  it('is versioned', () => {
    expect(AGGREGATION_RULE_VERSION).toBe('juxta-agg-1');
  });

  it('takes the majority and reports the share that agrees', () => {
    expect(aggregate([judgment('A'), judgment('B'), judgment('A')], null, majority)).toEqual({
      kept: true,
      outcome: 'A',
      agreement: 2 / 3,
      n: 3,
      margin: 0,
    });
  });

  it('drops a comparison with no judgment or too few', () => {
    expect(aggregate([], null, majority)).toEqual({ kept: false, reason: 'too-few-judgments', n: 0 });
    const two = [judgment('A'), judgment('A')];
    expect(aggregate(two, null, { ...majority, minJudgments: 3 })).toEqual({ kept: false, reason: 'too-few-judgments', n: 2 });
    expect(aggregate(two, null, { ...majority, minJudgments: 2 })).toMatchObject({ kept: true, outcome: 'A' });
  });

  it('drops a split vote rather than picking a side', () => {
    expect(aggregate([judgment('A'), judgment('B')], null, majority)).toMatchObject({ kept: false, reason: 'split-vote' });
    expect(aggregate([judgment('A'), judgment('TIE'), judgment('B'), judgment('BOTH_BAD')], null, majority)).toMatchObject({
      reason: 'split-vote',
    });
  });

  it('applies minAgreement inclusively', () => {
    const votes = [judgment('B'), judgment('B'), judgment('A')];
    expect(aggregate(votes, null, { ...majority, minAgreement: 2 / 3 })).toMatchObject({ kept: true, outcome: 'B' });
    expect(aggregate(votes, null, { ...majority, minAgreement: 0.7 })).toEqual({ kept: false, reason: 'low-agreement', n: 3 });
  });

  it('drops or keeps a tie or both-bad winner as asked; dissent still lowers agreement', () => {
    const ties = [judgment('TIE'), judgment('TIE'), judgment('A', 2)];
    expect(aggregate(ties, 3, majority)).toEqual({ kept: false, reason: 'tie', n: 3 });
    expect(aggregate(ties, 3, { ...majority, ties: 'keep' })).toEqual({ kept: true, outcome: 'TIE', agreement: 2 / 3, n: 3, margin: 0 });
    const bad = [judgment('BOTH_BAD'), judgment('BOTH_BAD')];
    expect(aggregate(bad, 3, majority)).toMatchObject({ kept: false, reason: 'both-bad' });
    expect(aggregate(bad, 3, { ...majority, bothBad: 'keep' })).toMatchObject({ kept: true, outcome: 'BOTH_BAD', agreement: 1 });
  });

  it('strength-weighted lets one strong preference outweigh two weak ones; majority does not', () => {
    const votes = [judgment('A', 3), judgment('B', 1), judgment('B', 1)];
    expect(aggregate(votes, 3, majority)).toMatchObject({ outcome: 'B', agreement: 2 / 3 });
    expect(aggregate(votes, 3, weighted)).toMatchObject({ outcome: 'A', agreement: 1 / 3, margin: 1 });
  });

  it('strength-weighted counts a tie as the weakest preference', () => {
    expect(aggregate([judgment('A', 1), judgment('TIE')], 4, weighted)).toMatchObject({ kept: false, reason: 'split-vote' });
    expect(aggregate([judgment('A', 2), judgment('TIE')], 4, weighted)).toMatchObject({ outcome: 'A', agreement: 0.5 });
    // Without strength levels it is plain majority.
    expect(aggregate([judgment('A'), judgment('B'), judgment('B')], null, weighted)).toMatchObject({ outcome: 'B' });
  });

  it('margin: mean of (strength - 1) / (max - 1) over the winning judgments, 0 without a strength scale', () => {
    const votes = [judgment('B', 4), judgment('B', 2), judgment('A', 4)];
    expect(aggregate(votes, 4, majority)).toMatchObject({ outcome: 'B', margin: (1 + 1 / 3) / 2 });
    expect(aggregate([judgment('A', 1)], 4, majority)).toMatchObject({ margin: 0 });
    expect(aggregate([judgment('A', 1)], 1, majority)).toMatchObject({ margin: 0 });
    expect(aggregate([judgment('A')], null, majority)).toMatchObject({ margin: 0 });
    // A strength beyond the scale (the design changed) counts as the strongest level.
    expect(aggregate([judgment('A', 7)], 4, majority)).toMatchObject({ margin: 1 });
  });

  it('uses the chosen criterion, counting only the judgments that answered it', () => {
    const votes = [
      judgment('A', 2, { harmless: { choice: 'B', strength: 1 } }),
      judgment('A', 2, { harmless: { choice: 'B', strength: 3 } }),
      judgment('B', 1, null),
    ];
    expect(aggregate(votes, 3, majority)).toMatchObject({ outcome: 'A', n: 3 });
    expect(aggregate(votes, 3, { ...majority, criterion: 'harmless' })).toEqual({
      kept: true,
      outcome: 'B',
      agreement: 1,
      n: 2,
      margin: (0 + 1) / 2,
    });
    expect(aggregate(votes, 3, { ...majority, criterion: 'honest' })).toMatchObject({ reason: 'too-few-judgments', n: 0 });
  });

  it('does not depend on the order of the judgments', () => {
    const votes = [judgment('A', 3), judgment('B', 1), judgment('TIE'), judgment('B', 2), judgment('A', 1)];
    const expected = aggregate(votes, 3, weighted);
    for (let shift = 1; shift < votes.length; shift += 1) {
      expect(aggregate([...votes.slice(shift), ...votes.slice(0, shift)], 3, weighted)).toEqual(expected);
    }
    expect(aggregate([...votes].reverse(), 3, weighted)).toEqual(expected);
  });
});
