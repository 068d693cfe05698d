import { describe, expect, it } from 'vitest';
import type { TRaterChoice } from '../../server/contract/rater';
import { drawLeftIsA, toCanonicalChoice, toCanonicalCriteria, toCanonicalFlagTarget, toRaterChoice, toRaterCriteria } from '../../server/domain/side-order';

describe('side order', () => {
  it('maps the side a rater chose to the canonical response, whichever side A was shown on', () => {
    expect(toCanonicalChoice('left', true)).toBe('A');
    expect(toCanonicalChoice('left', false)).toBe('B');
    expect(toCanonicalChoice('right', true)).toBe('B');
    expect(toCanonicalChoice('right', false)).toBe('A');
    expect(toCanonicalChoice('tie', false)).toBe('TIE');
    expect(toCanonicalChoice('both_bad', true)).toBe('BOTH_BAD');
  });

  it('round-trips every choice under both orders', () => {
    for (const leftIsA of [true, false]) {
      for (const c of ['left', 'right', 'tie', 'both_bad'] as TRaterChoice[]) expect(toRaterChoice(toCanonicalChoice(c, leftIsA), leftIsA)).toBe(c);
    }
  });

  it('maps flag targets and criteria the same way', () => {
    expect(toCanonicalFlagTarget('left', false)).toBe('B');
    expect(toCanonicalFlagTarget('right', false)).toBe('A');
    expect(toCanonicalFlagTarget('both', false)).toBe('BOTH');
    const criteria = { helpfulness: { choice: 'right' as const, strength: 2 }, harmlessness: { choice: 'tie' as const } };
    expect(toCanonicalCriteria(criteria, false)).toEqual({ helpfulness: { choice: 'A', strength: 2 }, harmlessness: { choice: 'TIE' } });
    expect(toRaterCriteria(toCanonicalCriteria(criteria, true), true)).toEqual(criteria);
  });

  it('draws both orders about equally', () => {
    const draws = Array.from({ length: 1000 }, (_, i) => drawLeftIsA((i + 0.5) / 1000));
    expect(draws.filter(Boolean).length).toBe(500);
  });
});
