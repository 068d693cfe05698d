// A ranking task read as the C(K,2) pairs of its slots, for the statements that work on pairs (stats; exports later).
// A ranking is jsonb groups of slot indexes, best first (Judgment.ranking, Comparison.referenceRanking/goldRanking).
//
// A derived pair (slots a < b of task c) has the id -(c * 81 + a * 9 + b): negative, so it never meets a comparison's
// own id, and decodable (K <= 9). It holds while comparison ids stay below 26,512,143 (2^31 / 81).

/** Slots 0..8, so a * 9 + b < 81. */
export const SLOT_PAIR_BASE = 81;

/** The id of the pair of slots `a` < `b` of comparison `c` (SQL expressions). */
export const derivedPairId = (c: string, a: string, b: string) => `-(${c} * ${SLOT_PAIR_BASE} + ${a} * 9 + ${b})`;

/** The comparison a derived pair id comes from (its own id for a comparison). */
export function taskOfPairId(id: number): number {
  return id < 0 ? Math.floor(-id / SLOT_PAIR_BASE) : id;
}

/** The slots a < b of a derived pair id (negative). */
export function slotsOfPairId(id: number): [number, number] {
  const rest = -id % SLOT_PAIR_BASE;
  return [Math.floor(rest / 9), rest % 9];
}

/**
 * The pairs of slots (a < b) of the slot array `slots`, with their response ids (`ra`, `rb`): a LATERAL
 * subquery, no row for a pair's empty array (use LEFT JOIN ... ON true to keep pairs).
 */
export const slotPairs = (slots: string) => `(
  SELECT sa.n::int - 1 AS a, sb.n::int - 1 AS b, sa.id AS ra, sb.id AS rb
  FROM unnest(${slots}) WITH ORDINALITY sa(id, n) JOIN unnest(${slots}) WITH ORDINALITY sb(id, n) ON sa.n < sb.n)`;

/**
 * The pairs of the slots a ranking places (a < b), with the group of each (0 = best): a LATERAL subquery, no row
 * when the ranking is null.
 */
export const rankedPairs = (ranking: string) => `(
  WITH placed AS (
    SELECT s.slot::int AS slot, g.n::int - 1 AS grp FROM jsonb_array_elements(${ranking}) WITH ORDINALITY g(members, n),
      jsonb_array_elements_text(g.members) s(slot))
  SELECT x.slot AS a, y.slot AS b, x.grp AS ga, y.grp AS gb FROM placed x JOIN placed y ON x.slot < y.slot)`;

/** The canonical choice code (0 A, 1 B, 2 TIE, 3 BOTH_BAD) of groups `ga`, `gb`, all bad being `allBad`. */
export const pairChoiceCode = (ga: string, gb: string, allBad: string) =>
  `(CASE WHEN ${ga} < ${gb} THEN 0 WHEN ${ga} > ${gb} THEN 1 WHEN ${allBad} THEN 3 ELSE 2 END)`;

/** The group (0 = best) of slot `slot` in `ranking` (null when it is not ranked). */
export const groupOf = (ranking: string, slot: string) =>
  `(SELECT g.n::int - 1 FROM jsonb_array_elements(${ranking}) WITH ORDINALITY g(members, n) WHERE g.members @> to_jsonb(${slot}))`;
