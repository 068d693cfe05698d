// The agreement panel's input columns (agreementColumnsOf): kept rows, signed strengths, and a ranking task's derived
// pairs renumbered consecutively as one resampling group, whatever order the stats read lists the tasks in.
import { describe, expect, it } from 'vitest';
import { CHOICE_CODES, NO_CHOICE, taskOfPairId } from '../../../server/db/repositories/stats';
import { agreementColumnsOf } from '../../../server/services/stats/agreement-panel';
import type { JudgmentTable } from '../../../server/services/stats/judgment-table';

const pairId = (task: number, a: number, b: number) => -(task * 81 + a * 9 + b);
const [A, B, TIE, BOTH_BAD] = (['A', 'B', 'TIE', 'BOTH_BAD'] as const).map((choice) => CHOICE_CODES.indexOf(choice));

/** The columns of a table whose comparisons are `ids`, one judgment per row of `rows`: [comparison, rater, choice, strength, counted]. */
function tableOf(ids: number[], rows: [number, number, number, number, number][], gold: number[] = []): JudgmentTable {
  const column = <T extends Int32Array | Uint8Array>(Type: new (values: number[]) => T, at: number) => new Type(rows.map((row) => row[at]!));
  return {
    comparisons: { id: Int32Array.from(ids), gold: Uint8Array.from(ids, (_, c) => (gold.includes(c) ? A : NO_CHOICE)) },
    comparison: column(Int32Array as never, 0),
    rater: column(Int32Array as never, 1),
    choice: column(Uint8Array as never, 2),
    strength: column(Uint8Array as never, 3),
    counted: column(Uint8Array as never, 4),
  } as unknown as JudgmentTable;
}

/** Straightforward: comparisons sorted by (task, index); a group per task in that order. */
function expectedGroups(ids: number[]): { group: number[]; renumbered: number[] } {
  const order = ids.map((_, c) => c).sort((x, y) => taskOfPairId(ids[x]!) - taskOfPairId(ids[y]!) || x - y);
  const [group, renumbered] = [new Array<number>(ids.length), new Array<number>(ids.length)];
  let g = -1;
  order.forEach((c, at) => {
    if (at === 0 || taskOfPairId(ids[c]!) !== taskOfPairId(ids[order[at - 1]!]!)) g++;
    group[c] = g;
    renumbered[c] = at;
  });
  return { group, renumbered };
}

describe('agreement columns', () => {
  it('keeps counted, answered judgments of non-gold comparisons, with signed strengths', () => {
    const ids = [11, 12, 13];
    const table = tableOf(
      ids,
      [
        [0, 0, A, 2, 1],
        [0, 1, B, 3, 1],
        [1, 0, TIE, 0, 1],
        [1, 1, BOTH_BAD, 0, 1],
        [1, 2, A, 0, 0], // not counted
        [2, 0, B, 1, 1], // gold comparison
        [0, 2, NO_CHOICE, 0, 1], // no answer
      ],
      [2],
    );
    const columns = agreementColumnsOf(table);
    expect([...columns.comparison]).toEqual([0, 0, 1, 1]);
    expect([...columns.rater]).toEqual([0, 1, 0, 1]);
    expect([...columns.choice]).toEqual([A, B, TIE, BOTH_BAD]);
    expect([...columns.signedStrength]).toEqual([2, -3, 0, NaN]);
    expect(columns.cluster).toBeUndefined();
  });

  it.each([
    ['tasks in ascending order', [pairId(3, 0, 1), pairId(3, 0, 2), pairId(3, 1, 2), 40, pairId(50, 0, 1)]],
    ['tasks out of order, pairs and own comparisons mixed', [pairId(9, 0, 1), pairId(9, 0, 2), pairId(9, 1, 2), 7, pairId(3, 0, 1), pairId(3, 0, 2), pairId(3, 1, 2), 12, pairId(5, 0, 1), 2]],
  ])('renumbers a task\'s pairs consecutively, one group per task, as sorting by (task, index) does: %s', (_, ids) => {
    const rows = ids.flatMap((_, c) => [0, 1].map((r) => [c, r, (c + r) % 3, 0, 1] as [number, number, number, number, number]));
    const columns = agreementColumnsOf(tableOf(ids, rows));
    const { group, renumbered } = expectedGroups(ids);
    expect([...columns.comparison]).toEqual(rows.map(([c]) => renumbered[c]!));
    expect([...columns.cluster!]).toEqual(rows.map(([c]) => group[c]!));
  });
});
