// The campaign's comparisons and standing judgments as typed columns, decoded from the repository's packed
// int4 columns, with each judgment marked counted or not (the rule: domain/stats/counted-judgments.ts).
import type { Db } from '../../db/handle';
import { countJudgments, dropSurplus } from '../../domain/stats/counted-judgments';
import {
  MAX_SLOTS,
  NO_CHOICE,
  pairChoiceOf,
  parseRankings,
  parseRankingTasks,
  readCampaignRaters,
  readPackedComparisons,
  readPackedJudgments,
  readPackedResponses,
  readSurplusJudgments,
  SLOT_PAIR_BASE,
  taskOfPairId,
  type CampaignRaterRow,
  type PackedComparisons,
  type PackedInts,
  type PackedRaterJudgments,
  type PackedModelResponses,
} from '../../db/repositories/stats';

/** Item c of each array describes comparison c (a dense index, not the database id). */
export interface ComparisonColumns {
  models: string[];
  id: Int32Array;
  target: Int32Array;
  /** Gold answer's code (CHOICE_CODES), NO_CHOICE for a comparison that is not gold. */
  gold: Uint8Array;
  modelA: Int32Array;
  modelB: Int32Array;
  lengthA: Int32Array;
  lengthB: Int32Array;
  /** Adjudicated answer's code, NO_CHOICE when none stands. */
  adjudicated: Uint8Array;
  referenceSources: string[];
  /** Reference label: source index * 8 + choice code, -1 for none (PackedComparisons.reference). */
  reference: Int32Array;
}

/** Item i of each array describes standing judgment i, made by raters[rater[i]] on comparison comparison[i]. */
export interface JudgmentTable {
  comparisons: ComparisonColumns;
  raters: CampaignRaterRow[];
  rater: Int32Array;
  comparison: Int32Array;
  /** CHOICE_CODES index, NO_CHOICE when the judgment has no answer for the criterion asked. */
  choice: Uint8Array;
  /** 0 when the judgment has none. */
  strength: Uint8Array;
  leftIsA: Uint8Array;
  /** Submitted within the last hour (the `since` of the read). */
  recent: Uint8Array;
  counted: Uint8Array;
  timeMs: Int32Array;
  /** Hour of submission, in hours since 1970-01-01T00:00Z (the UTC day is hour / 24, rounded down). */
  hour: Int32Array;
  /** 1: made as gold on an adjudicated pair (the rater had not seen it): checked against the adjudicated answer, never counted. */
  asGold: Uint8Array;
  /** Standing judgments of raters not excluded beyond the k earliest of their comparison. */
  surplus: number;
}

/** The int4 values of a packed column (big-endian, as int4send writes them). */
function decodeInts(bytes: PackedInts, what: string, expected?: number): Int32Array {
  if (bytes.length % 4 !== 0) throw new Error(`packed ${what} column is not a whole number of int4 values`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const values = new Int32Array(bytes.length / 4);
  if (expected !== undefined && values.length !== expected) throw new Error(`packed ${what} column holds ${values.length} values, not ${expected}`);
  for (let i = 0; i < values.length; i++) values[i] = view.getInt32(4 * i);
  return values;
}

type ComparisonKey = 'targets' | 'gold' | 'responseA' | 'responseB' | 'reference' | 'adjudicated';

/**
 * The packed comparisons with each ranking task replaced by its C(K,2) pairs of slots a < b (derived pair ids; gold
 * and reference answers from the task's gold and reference rankings, none where a ranking does not place both; never
 * adjudicated).
 */
function expandRankingTasks(packed: PackedComparisons): { id: Int32Array } & Record<ComparisonKey, Int32Array> {
  const ids = decodeInts(packed.ids, 'ids');
  const column = (key: ComparisonKey | 'slotCounts') => decodeInts(packed[key], key, ids.length);
  const rows = { id: ids, targets: column('targets'), gold: column('gold'), responseA: column('responseA'), responseB: column('responseB'), reference: column('reference'), adjudicated: column('adjudicated') };
  const slotCounts = column('slotCounts');
  let [tasks, size] = [0, 0];
  for (const n of slotCounts) {
    tasks += n > 0 ? 1 : 0;
    size += n > 0 ? (n * (n - 1)) / 2 : 1;
  }
  if (tasks === 0) return rows;
  const parsed = parseRankingTasks(packed.rankingTasks, tasks);
  const out = { id: new Int32Array(size), targets: new Int32Array(size), gold: new Int32Array(size), responseA: new Int32Array(size), responseB: new Int32Array(size), reference: new Int32Array(size), adjudicated: new Int32Array(size) };
  let [at, t] = [0, 0];
  for (let c = 0; c < ids.length; c++) {
    if (slotCounts[c] === 0) {
      for (const key of Object.keys(out) as (keyof typeof out)[]) out[key][at] = rows[key][c]!;
      at++;
      continue;
    }
    const from = parsed.slotStart[t]!;
    const base = t * MAX_SLOTS;
    for (let a = 0; a < slotCounts[c]!; a++) {
      for (let b = a + 1; b < slotCounts[c]!; b++) {
        const gold = slotPairAnswer(parsed.gold, base + a, base + b);
        const reference = slotPairAnswer(parsed.reference, base + a, base + b);
        out.id[at] = -(ids[c]! * SLOT_PAIR_BASE + a * 9 + b);
        out.targets[at] = rows.targets[c]!;
        out.gold[at] = rows.gold[c] === NO_CHOICE || gold === -1 ? NO_CHOICE : gold;
        out.responseA[at] = parsed.slotIds[from + a]!;
        out.responseB[at] = parsed.slotIds[from + b]!;
        out.reference[at] = rows.reference[c] === -1 || reference === -1 ? -1 : rows.reference[c]! + reference;
        out.adjudicated[at] = NO_CHOICE;
        at++;
      }
    }
    t++;
  }
  return out;
}

/** The answer a ranking's groups give slots at `a` and `b` (pairChoiceOf), -1 when it does not place both. */
function slotPairAnswer(groups: Int8Array, a: number, b: number): number {
  return groups[a]! >= 0 && groups[b]! >= 0 ? pairChoiceOf(groups[a]!, groups[b]!, false) : -1;
}

/** Comparisons with the model and length of each side looked up from the responses by id. */
function decodeComparisons(packed: PackedComparisons, responses: readonly PackedModelResponses[]): ComparisonColumns {
  const expanded = expandRankingTasks(packed);
  const id = expanded.id;
  const column = (key: ComparisonKey) => expanded[key];
  // The responses of every model in one set of columns, a response's model as its index in `responses`.
  const byModel = responses.map((row) => decodeInts(row.ids, 'response ids'));
  const responseIds = new Int32Array(byModel.reduce((n, ids) => n + ids.length, 0));
  const [responseModel, responseLength] = [new Int32Array(responseIds.length), new Int32Array(responseIds.length)];
  let at = 0;
  byModel.forEach((ids, m) => {
    responseIds.set(ids, at);
    responseModel.fill(m, at, at + ids.length);
    responseLength.set(decodeInts(responses[m]!.lengths, 'response lengths', ids.length), at);
    at += ids.length;
  });
  const responseOf = indexOfIds(responseIds);
  const [responseA, responseB] = [column('responseA'), column('responseB')];
  const [modelA, modelB, lengthA, lengthB] = [new Int32Array(id.length), new Int32Array(id.length), new Int32Array(id.length), new Int32Array(id.length)];
  for (let c = 0; c < id.length; c++) {
    const a = responseOf(responseA[c]!);
    const b = responseOf(responseB[c]!);
    // A published comparison's responses are published (an import publishes its responses with its comparisons).
    if (a === -1 || b === -1) throw new Error(`comparison ${id[c]} refers to a response that is not published`);
    modelA[c] = responseModel[a]!;
    modelB[c] = responseModel[b]!;
    lengthA[c] = responseLength[a]!;
    lengthB[c] = responseLength[b]!;
  }
  return {
    models: responses.map((row) => row.model),
    id,
    target: column('targets'),
    gold: Uint8Array.from(column('gold')),
    modelA,
    modelB,
    lengthA,
    lengthB,
    adjudicated: Uint8Array.from(column('adjudicated')),
    referenceSources: packed.referenceSources,
    reference: column('reference'),
  };
}

/** Where comparisons are in the table: by id, and a ranking task's derived pair by the task's id and slots. */
interface ComparisonIndex {
  /** Index of comparison id `id` (-1 when absent). */
  of(id: number): number;
  /** Index of the derived pair of slots a < b of ranking task `task` (a comparison id), -1 when absent. */
  ofPair(task: number, a: number, b: number): number;
}

/**
 * A derived pair's index is computed from its task's first pair (expandRankingTasks lists a task's C(K,2) pairs one
 * after another, a < b in order) and checked; own ids, and derived ones where that does not hold, are looked up as
 * `indexOfIds` does. (At 1.5 M derived pairs, a map of their ids cost a second.)
 */
function indexOfComparisonIds(ids: Int32Array): ComparisonIndex {
  let low = Infinity;
  let high = -Infinity;
  for (const id of ids) {
    if (id >= 0) continue;
    low = Math.min(low, taskOfPairId(id));
    high = Math.max(high, taskOfPairId(id));
  }
  let others: ((id: number) => number) | null = null;
  const of = (id: number) => (others ??= indexOfIds(ids))(id);
  const pairId = (task: number, a: number, b: number) => -(task * SLOT_PAIR_BASE + a * 9 + b);
  if (low > high || high - low > 8 * ids.length + 1024) return { of, ofPair: (task, a, b) => of(pairId(task, a, b)) };
  // Per task: the index of its pair (0, 1) and its slot count (the largest b + 1).
  const first = new Int32Array(high - low + 1).fill(-1);
  const slots = new Uint8Array(high - low + 1);
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i]!;
    if (id >= 0) continue;
    const t = taskOfPairId(id) - low;
    const rest = -id % SLOT_PAIR_BASE;
    if (rest === 1) first[t] = i;
    slots[t] = Math.max(slots[t]!, (rest % 9) + 1);
  }
  const ofPair = (task: number, a: number, b: number) => {
    const t = task - low;
    if (t < 0 || t >= first.length || first[t] === -1 || b >= slots[t]!) return of(pairId(task, a, b));
    const at = first[t]! + a * (slots[t]! - 1) - ((a * (a - 1)) >> 1) + (b - a - 1);
    return ids[at] === pairId(task, a, b) ? at : of(pairId(task, a, b));
  };
  return {
    of: (id) => (id >= 0 ? of(id) : ofPair(taskOfPairId(id), Math.floor((-id % SLOT_PAIR_BASE) / 9), -id % 9)),
    ofPair,
  };
}

/** Index of each id in `ids` (-1 when absent): a flat table when the ids are nearly contiguous, else a map. */
function indexOfIds(ids: Int32Array): (id: number) => number {
  let [low, high] = [Infinity, -Infinity];
  for (const id of ids) {
    low = Math.min(low, id);
    high = Math.max(high, id);
  }
  if (ids.length === 0 || high - low > 8 * ids.length + 1024) {
    const map = new Map<number, number>();
    ids.forEach((id, i) => map.set(id, i));
    return (id) => map.get(id) ?? -1;
  }
  const table = new Int32Array(high - low + 1).fill(-1);
  ids.forEach((id, i) => (table[id - low] = i));
  return (id) => (id < low || id > high ? -1 : table[id - low]!);
}

/**
 * Every rater's judgments in one set of columns, a ranking as its C(K,2) pairs of placed slots (derived pair ids,
 * choice from the groups, "left" the slot shown first, no strength); judgments on comparisons not published are
 * left out.
 */
function decodeJudgments(rows: readonly PackedRaterJudgments[], comparisons: ComparisonColumns, raterIndex: Map<string, number>) {
  // Raters in the table's order (by name), whatever order the read's aggregation gave: the bootstraps number their
  // units by the rows' order, so the intervals would otherwise change with the plan (a spill to disk, the database).
  const parts = [...rows].sort((x, y) => raterIndex.get(x.raterId)! - raterIndex.get(y.raterId)!).map((row) => {
    const ids = decodeInts(row.comparisonIds, 'comparison id');
    const flags = decodeInts(row.gold, 'gold', ids.length);
    let ranked = 0;
    for (const flag of flags) ranked += flag >> 1;
    return {
      rater: raterIndex.get(row.raterId)!,
      ids,
      timeMs: decodeInts(row.timeMs, 'time', ids.length),
      hourCodes: decodeInts(row.hourCodes, 'hour and code', ids.length),
      flags,
      rankings: parseRankings(row.rankings, ranked),
    };
  });
  let size = 0;
  for (const part of parts) {
    size += part.ids.length - part.rankings.count;
    const { group } = part.rankings;
    for (let r = 0; r < part.rankings.count; r++) {
      let placed = 0;
      for (let slot = 0; slot < MAX_SLOTS; slot++) if (group[r * MAX_SLOTS + slot]! >= 0) placed++;
      size += (placed * (placed - 1)) / 2;
    }
  }
  const index = indexOfComparisonIds(comparisons.id);
  const [comparison, rater, timeMs, hour] = [new Int32Array(size), new Int32Array(size), new Int32Array(size), new Int32Array(size)];
  const [choice, leftIsA, recent, strength, asGold] = [new Uint8Array(size), new Uint8Array(size), new Uint8Array(size), new Uint8Array(size), new Uint8Array(size)];
  // Keep judgments of published comparisons; hourCodes: hour * 256 + choice + 5 * leftIsA + 10 * recent + 20 * strength.
  let kept = 0;
  const keep = (part: (typeof parts)[number], i: number, c: number, code: number) => {
    comparison[kept] = c;
    rater[kept] = part.rater;
    timeMs[kept] = part.timeMs[i]!;
    hour[kept] = part.hourCodes[i]! >> 8;
    choice[kept] = code % 5;
    leftIsA[kept] = Math.floor(code / 5) % 2;
    recent[kept] = Math.floor(code / 10) % 2;
    strength[kept] = Math.floor(code / 20);
    asGold[kept] = (part.flags[i]! & 1) === 1 && comparisons.gold[c] === NO_CHOICE ? 1 : 0;
    kept++;
  };
  for (const part of parts) {
    const { group, shown, allBad } = part.rankings;
    let r = 0;
    for (let i = 0; i < part.ids.length; i++) {
      const code = part.hourCodes[i]! & 255;
      if ((part.flags[i]! & 2) === 0) {
        const c = index.of(part.ids[i]!);
        if (c !== -1) keep(part, i, c, code);
        continue;
      }
      // A ranking: its pairs of placed slots a < b, with the judgment's rater, time, hour and recency (as `keep` would
      // store them, written here directly: 1.5 M rows at 250,000 rankings), no strength.
      const base = r * MAX_SLOTS;
      const task = part.ids[i]!;
      const [judgmentTime, judgmentHour, isRecent] = [part.timeMs[i]!, part.hourCodes[i]! >> 8, Math.floor(code / 10) % 2];
      const madeAsGold = (part.flags[i]! & 1) === 1;
      const bad = allBad[r] === 1;
      for (let a = 0; a < MAX_SLOTS; a++) {
        const ga = group[base + a]!;
        if (ga < 0) continue;
        for (let b = a + 1; b < MAX_SLOTS; b++) {
          const gb = group[base + b]!;
          if (gb < 0) continue;
          const c = index.ofPair(task, a, b);
          if (c === -1) continue;
          comparison[kept] = c;
          rater[kept] = part.rater;
          timeMs[kept] = judgmentTime;
          hour[kept] = judgmentHour;
          choice[kept] = pairChoiceOf(ga, gb, bad);
          leftIsA[kept] = shown[base + a]! >= 0 && shown[base + b]! >= 0 && shown[base + a]! < shown[base + b]! ? 1 : 0;
          recent[kept] = isRecent;
          asGold[kept] = madeAsGold && comparisons.gold[c] === NO_CHOICE ? 1 : 0;
          kept++;
        }
      }
      r++;
    }
  }
  const trim = <T extends Int32Array | Uint8Array>(column: T) => column.subarray(0, kept) as T;
  return {
    rater: trim(rater),
    comparison: trim(comparison),
    choice: trim(choice),
    leftIsA: trim(leftIsA),
    recent: trim(recent),
    strength: trim(strength),
    timeMs: trim(timeMs),
    hour: trim(hour),
    asGold: trim(asGold),
  };
}

/**
 * Reads and decodes the campaign's stats inputs, and marks the judgments that count (countJudgments);
 * the surplus of crowded comparisons is ranked in SQL.
 */
export async function readJudgmentTable(db: Db, campaignId: string, criterion: string | null, since: Date): Promise<JudgmentTable> {
  // The comparisons are decoded while the judgments (the longest read) are still on their way.
  const [comparisons, packedJudgments] = await Promise.all([
    Promise.all([readPackedComparisons(db, campaignId), readPackedResponses(db, campaignId)]).then(([packed, responses]) => decodeComparisons(packed, responses)),
    readPackedJudgments(db, campaignId, criterion, since),
  ]);
  const raters = await readCampaignRaters(db, campaignId, packedJudgments.map((row) => row.raterId));
  const raterIndex = new Map(raters.map((r, i) => [r.id, i]));
  const columns = decodeJudgments(packedJudgments, comparisons, raterIndex);

  const { counted, crowded } = countJudgments({
    rater: columns.rater,
    comparison: columns.comparison,
    asGold: columns.asGold,
    raterExcluded: Uint8Array.from(raters, (r) => (r.excluded ? 1 : 0)),
    target: comparisons.target,
    isGold: Uint8Array.from(comparisons.gold, (code) => (code === NO_CHOICE ? 0 : 1)),
  });
  // A ranking task's pairs (negative ids) are counted like it: its surplus judgments are looked up by the task's id.
  const crowdedTasks = new Set(crowded.map((c) => taskOfPairId(comparisons.id[c]!)));
  const surplus = new Set((await readSurplusJudgments(db, [...crowdedTasks])).map((s) => `${s.comparisonId}:${raterIndex.get(s.raterId)}`));
  if (surplus.size > 0) dropSurplus(counted, (i) => surplus.has(`${taskOfPairId(comparisons.id[columns.comparison[i]!]!)}:${columns.rater[i]}`));
  return { comparisons, raters, ...columns, counted, surplus: surplus.size };
}
