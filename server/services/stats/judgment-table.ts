// The campaign's standing judgments as typed columns, decoded from the repository's packed lists.
import type { Choice } from '../../domain/stats/rater-quality';
import { CHOICE_CODES, NO_CHOICE, type PackedRaterJudgments } from '../../db/repositories/stats';

/** Column i of each array describes judgment i; raters[raterIndex[i]] made it. */
export interface JudgmentTable {
  raters: string[];
  raterIndex: Int32Array;
  comparisonId: Int32Array;
  /** CHOICE_CODES index, NO_CHOICE when the judgment has no answer for the criterion asked. */
  choice: Uint8Array;
  /** Gold answer's code, NO_CHOICE for a comparison that is not gold. */
  gold: Uint8Array;
  /** 0 when the judgment has none. */
  strength: Uint8Array;
  leftIsA: Uint8Array;
  counted: Uint8Array;
  timeMs: Int32Array;
  lengthA: Int32Array;
  lengthB: Int32Array;
}

export function choiceOf(code: number): Choice | null {
  return code === NO_CHOICE ? null : CHOICE_CODES[code]!;
}

/** Non-negative integers from "12,3,456" into `out` at `offset`; returns how many were read. */
function parseIntList(text: string, out: Int32Array, offset: number): number {
  let at = offset;
  let value = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 44) {
      out[at++] = value;
      value = 0;
    } else {
      value = value * 10 + (c - 48);
    }
  }
  if (text.length > 0) out[at++] = value;
  return at - offset;
}

function countItems(text: string): number {
  if (text.length === 0) return 0;
  let n = 1;
  for (let i = text.indexOf(','); i !== -1; i = text.indexOf(',', i + 1)) n++;
  return n;
}

export function decodeJudgments(rows: readonly PackedRaterJudgments[]): JudgmentTable {
  const size = rows.reduce((sum, row) => sum + countItems(row.codes), 0);
  const raterIndex = new Int32Array(size);
  const comparisonId = new Int32Array(size);
  const codes = new Int32Array(size);
  const timeMs = new Int32Array(size);
  const lengthA = new Int32Array(size);
  const lengthB = new Int32Array(size);
  let offset = 0;
  rows.forEach((row, r) => {
    const n = parseIntList(row.codes, codes, offset);
    for (const [text, column] of [[row.comparisonIds, comparisonId], [row.timeMs, timeMs], [row.lengthA, lengthA], [row.lengthB, lengthB]] as const) {
      if (parseIntList(text, column, offset) !== n) throw new Error(`packed judgment lists of rater ${row.raterId} differ in length`);
    }
    raterIndex.fill(r, offset, offset + n);
    offset += n;
  });
  // Packing: choice + 5*gold + 25*strength + 200*leftIsA + 400*counted (server/db/repositories/stats.ts).
  const field = (f: (code: number) => number) => Uint8Array.from(codes, f);
  return {
    raters: rows.map((row) => row.raterId),
    raterIndex,
    comparisonId,
    choice: field((c) => c % 5),
    gold: field((c) => Math.floor(c / 5) % 5),
    strength: field((c) => Math.floor(c / 25) % 8),
    leftIsA: field((c) => Math.floor(c / 200) % 2),
    counted: field((c) => Math.floor(c / 400)),
    timeMs,
    lengthA,
    lengthB,
  };
}
