// A ranking task read as the C(K,2) pairs of its slots, for the stats, which work on pairs: the stats read sends each
// task and each judgment once, with its rankings as short texts (parseRankingTasks, parseRankings), and the reader
// derives the pairs in memory.
// A ranking is jsonb groups of slot indexes, best first (Judgment.ranking, Comparison.referenceRanking/goldRanking).
//
// A derived pair (slots a < b of task c) has the id -(c * 81 + a * 9 + b): negative, so it never meets a comparison's
// own id, and decodable (K <= 9). It holds while comparison ids stay below 26,512,143 (2^31 / 81).

/** SQL: a ranking (jsonb) as the text stored in Judgment."rankingText": jsonb's text without its spaces. */
export const rankingText = (jsonb: string) => `replace((${jsonb})::text, ' ', '')`;

/** Slots 0..8, so a * 9 + b < 81. */
export const SLOT_PAIR_BASE = 81;


/** The comparison a derived pair id comes from (its own id for a comparison). */
export function taskOfPairId(id: number): number {
  return id < 0 ? Math.floor(-id / SLOT_PAIR_BASE) : id;
}

/** The slots a < b of a derived pair id (negative). */
export function slotsOfPairId(id: number): [number, number] {
  const rest = -id % SLOT_PAIR_BASE;
  return [Math.floor(rest / 9), rest % 9];
}


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



/** Ranking tasks as the stats read sends them (STATS_SQL.comparisons), `MAX_SLOTS` items per task in `gold`, `reference`. */
export interface ParsedRankingTasks {
  count: number;
  /** Task t's response ids by slot: slotIds[slotStart[t]..slotStart[t + 1]). */
  slotStart: Int32Array;
  slotIds: Int32Array;
  /** Group of each slot in the gold and in the reference ranking (0 = best), -1 where there is none. */
  gold: Int8Array;
  reference: Int8Array;
}

const [COMMA, BAR] = [',', '|'].map((c) => c.charCodeAt(0)) as [number, number];

/** Parses `count` tasks written `<slot response ids, comma-separated>|<gold ranking JSON or nothing>|<reference ranking JSON or nothing>;`. */
export function parseRankingTasks(text: string, count: number): ParsedRankingTasks {
  const [gold, reference] = [new Int8Array(count * MAX_SLOTS).fill(-1), new Int8Array(count * MAX_SLOTS).fill(-1)];
  const slotStart = new Int32Array(count + 1);
  const slotIds: number[] = [];
  let [task, field, depth, group, id, digits] = [0, 0, 0, 0, 0, 0];
  for (let at = 0; at < text.length; at++) {
    const c = text.charCodeAt(at);
    if (field === 0) {
      if (c >= ZERO && c <= NINE) {
        id = id * 10 + c - ZERO;
        digits++;
        continue;
      }
      if (digits > 0) slotIds.push(id);
      [id, digits] = [0, 0];
      if (c === BAR) field = 1;
      else if (c !== COMMA) throw new Error(`unexpected ${JSON.stringify(text[at])} in the slots of ranking task ${task}`);
      continue;
    }
    const groups = field === 1 ? gold : reference;
    if (c === OPEN) depth++;
    else if (c === CLOSE) {
      depth--;
      if (depth === 1) group++;
    } else if (c >= ZERO && c <= NINE && depth === 2) groups[task * MAX_SLOTS + c - ZERO] = group;
    else if (c === BAR && depth === 0) [field, group] = [2, 0];
    else if (c === SEPARATOR && depth === 0) {
      task++;
      slotStart[task] = slotIds.length;
      [field, group] = [0, 0];
    }
  }
  if (task !== count) throw new Error(`the stats read sent ${task} ranking tasks for ${count} with slots`);
  return { count, slotStart, slotIds: Int32Array.from(slotIds), gold, reference };
}
