// Maps what a rater saw (left/right) to the comparison's canonical order (A/B) and back, given the
// side order stored on the assignment. The only place that knows which side was which.
import type { TCriterionAnswer, TRaterChoice } from '../contract/rater';

export type CanonicalChoice = 'A' | 'B' | 'TIE' | 'BOTH_BAD';
export type CanonicalFlagTarget = 'A' | 'B' | 'BOTH';
export type CanonicalCriteria = Record<string, { choice: CanonicalChoice; strength?: number }>;

/** Random side order: true puts response A on the left. `draw` is uniform in [0, 1). */
export function drawLeftIsA(draw: number): boolean {
  return draw < 0.5;
}

export function toCanonicalChoice(choice: TRaterChoice, leftIsA: boolean): CanonicalChoice {
  if (choice === 'tie') return 'TIE';
  if (choice === 'both_bad') return 'BOTH_BAD';
  return (choice === 'left') === leftIsA ? 'A' : 'B';
}

export function toRaterChoice(choice: CanonicalChoice, leftIsA: boolean): TRaterChoice {
  if (choice === 'TIE') return 'tie';
  if (choice === 'BOTH_BAD') return 'both_bad';
  return (choice === 'A') === leftIsA ? 'left' : 'right';
}

export function toCanonicalFlagTarget(target: 'left' | 'right' | 'both', leftIsA: boolean): CanonicalFlagTarget {
  if (target === 'both') return 'BOTH';
  return (target === 'left') === leftIsA ? 'A' : 'B';
}

function mapCriteria<From, To>(criteria: Record<string, { choice: From; strength?: number }>, map: (c: From) => To): Record<string, { choice: To; strength?: number }> {
  return Object.fromEntries(
    Object.entries(criteria).map(([name, a]) => [name, { choice: map(a.choice), ...(a.strength === undefined ? {} : { strength: a.strength }) }]),
  );
}

export function toCanonicalCriteria(criteria: Record<string, TCriterionAnswer>, leftIsA: boolean): CanonicalCriteria {
  return mapCriteria(criteria, (c) => toCanonicalChoice(c, leftIsA));
}

export function toRaterCriteria(criteria: CanonicalCriteria, leftIsA: boolean): Record<string, TCriterionAnswer> {
  return mapCriteria(criteria, (c) => toRaterChoice(c, leftIsA));
}
