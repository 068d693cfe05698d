// A ranking task read as the C(K,2) pairs of its slots, for the stats, which work on pairs: the tasks' pairs in SQL,
// the judgments' pairs in memory from the rankings as the stats read sends them (parseRankings).
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

/** Slots per task at most (K <= 9). */
export const MAX_SLOTS = 9;

/** Rankings as the stats read sends them (STATS_SQL.judgments), one entry per ranking in `MAX_SLOTS` items each. */
export interface ParsedRankings {
  count: number;
  /** Group of each slot (0 = best), -1 where the ranking does not place it. */
  group: Int8Array;
  /** Position at which each slot's card was shown (0 = first), -1 when not known. */
  shown: Int8Array;
  allBad: Uint8Array;
}

const [OPEN, CLOSE, SEPARATOR, ALL_BAD, ZERO, NINE] = ['[', ']', ';', '!', '0', '9'].map((c) => c.charCodeAt(0)) as [number, number, number, number, number, number];

/**
 * Parses `count` rankings written `[!]<ranking JSON><shown order as digits>;` each, e.g. `[[2], [0, 3], [1]]2031;`
 * (slots are single digits, K <= 9). A scan of the characters: no JSON.parse, no string per ranking.
 */
export function parseRankings(text: string, count: number): ParsedRankings {
  const parsed: ParsedRankings = { count, group: new Int8Array(count * MAX_SLOTS).fill(-1), shown: new Int8Array(count * MAX_SLOTS).fill(-1), allBad: new Uint8Array(count) };
  let [entry, depth, group, position] = [0, 0, 0, 0];
  for (let at = 0; at < text.length; at++) {
    const c = text.charCodeAt(at);
    if (c === OPEN) depth++;
    else if (c === CLOSE) {
      depth--;
      if (depth === 1) group++;
    } else if (c >= ZERO && c <= NINE) {
      if (depth === 2) parsed.group[entry * MAX_SLOTS + c - ZERO] = group;
      else if (depth === 0) parsed.shown[entry * MAX_SLOTS + c - ZERO] = position++;
    } else if (c === ALL_BAD) parsed.allBad[entry] = 1;
    else if (c === SEPARATOR) {
      entry++;
      [group, position] = [0, 0];
    }
  }
  if (entry !== count) throw new Error(`the stats read sent ${entry} rankings for ${count} ranked judgments`);
  return parsed;
}

/** The canonical choice code (0 A, 1 B, 2 TIE, 3 BOTH_BAD) of slots in groups `ga`, `gb` of a ranking, all bad being `allBad`. */
export function pairChoiceOf(ga: number, gb: number, allBad: boolean): number {
  return ga < gb ? 0 : ga > gb ? 1 : allBad ? 3 : 2;
}

/** pairChoiceOf in SQL. */
export const pairChoiceCode = (ga: string, gb: string, allBad: string) =>
  `(CASE WHEN ${ga} < ${gb} THEN 0 WHEN ${ga} > ${gb} THEN 1 WHEN ${allBad} THEN 3 ELSE 2 END)`;

/** The group (0 = best) of slot `slot` in `ranking` (null when it is not ranked). */
export const groupOf = (ranking: string, slot: string) =>
  `(SELECT g.n::int - 1 FROM jsonb_array_elements(${ranking}) WITH ORDINALITY g(members, n) WHERE g.members @> to_jsonb(${slot}))`;
