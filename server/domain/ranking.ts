// Rankings of a task's K slots: groups of slot indexes, best first, a group of several being a tie. Pure rules:
// checking a rater's ranking, mapping between the shown order and the canonical slots, and the pairs a ranking implies.

/** Groups of indexes, best first; a group of several is a tie. */
export type Ranking = number[][];

export type PairOutcome = 'A' | 'B' | 'TIE' | 'BOTH_BAD';

/**
 * A ranking from each slot's group number (-1: not ranked): the ranked slots grouped by number, lowest
 * first; the numbers need not be consecutive.
 */
export function restrictRanking(groupOfSlot: readonly number[]): Ranking {
  const numbers = [...new Set(groupOfSlot.filter((g) => g >= 0))].sort((x, y) => x - y);
  return numbers.map((n) => groupOfSlot.flatMap((g, slot) => (g === n ? [slot] : [])));
}

export interface RankingRules {
  size: number;
  allowTie: boolean;
  allowBothBad: boolean;
}

/**
 * Why a rater's ranking cannot be stored (null: it can). Every card must be placed exactly once (a ranking
 * of some cards says nothing about the others), indexes are 0..size-1, a tie needs a design with ties, and
 * "all bad" one with both-bad. `allBad` without a ranking stands for every card tied at the bottom.
 */
export function rankingProblem(ranking: Ranking | undefined, allBad: boolean, rules: RankingRules): string | null {
  if (allBad && !rules.allowBothBad) return 'this campaign does not offer "all bad"';
  if (ranking === undefined) return allBad ? null : 'give a ranking (groups of card indexes, best first), or allBad';
  const seen = new Set<number>();
  for (const group of ranking) {
    if (group.length === 0) return 'a group of the ranking is empty';
    if (group.length > 1 && !rules.allowTie) return 'this campaign does not allow ties: put one card in each group';
    for (const index of group) {
      if (!Number.isInteger(index) || index < 0 || index >= rules.size) return `card index ${index} is out of range: cards are 0 to ${rules.size - 1}`;
      if (seen.has(index)) return `card ${index} is ranked twice`;
      seen.add(index);
    }
  }
  if (seen.size < rules.size) {
    const missing = [...Array(rules.size).keys()].filter((i) => !seen.has(i));
    return `every card must be ranked: card${missing.length === 1 ? '' : 's'} ${missing.join(', ')} missing`;
  }
  return null;
}

/** A ranking of shown cards in slot terms (`shownOrder[card]` is the card's slot), or back with `toShown`. */
export function toSlots(ranking: Ranking, shownOrder: readonly number[]): Ranking {
  return ranking.map((group) => group.map((card) => shownOrder[card]!).sort((x, y) => x - y));
}

export function toShown(ranking: Ranking, shownOrder: readonly number[]): Ranking {
  const cardOf = new Map(shownOrder.map((slot, card) => [slot, card]));
  return ranking.map((group) => group.map((slot) => cardOf.get(slot)!).sort((x, y) => x - y));
}

/** Every slot tied: what "all bad" without an order stands for. */
export const allTied = (size: number): Ranking => [[...Array(size).keys()]];

/**
 * What a ranking says about slots `a` and `b`: `A` when `a` ranks higher, `B` when `b` does, a tie when
 * they share a group (`BOTH_BAD` when the rater marked all bad).
 */
export function pairOutcome(ranking: Ranking, a: number, b: number, allBad: boolean): PairOutcome {
  const ga = ranking.findIndex((g) => g.includes(a));
  const gb = ranking.findIndex((g) => g.includes(b));
  if (ga === gb) return allBad ? 'BOTH_BAD' : 'TIE';
  return ga < gb ? 'A' : 'B';
}

/** The C(K,2) pairs of a ranking of K slots, slot i < j, as outcomes in those terms (ties as ties). */
export function expandRanking(ranking: Ranking, allBad: boolean): { a: number; b: number; outcome: PairOutcome }[] {
  const slots = ranking.flat().sort((x, y) => x - y);
  return slots.flatMap((a, i) => slots.slice(i + 1).map((b) => ({ a, b, outcome: pairOutcome(ranking, a, b, allBad) })));
}
