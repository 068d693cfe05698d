// The rankings the stats read sends as text (one per ranked judgment, one per ranking task) parsed back into groups.
import { describe, expect, it } from 'vitest';
import { MAX_SLOTS, pairChoiceOf, parseRankings, parseRankingTasks } from '../../../server/db/sql/ranking-pairs';

describe('parseRankings', () => {
  it('reads each ranking as the group of every slot and the position its card was shown at', () => {
    // As Postgres writes jsonb (spaces after commas: a criterion's ranking) or as Judgment.rankingText holds it (none),
    // then the shown order's digits; the second all bad, shown order unknown.
    const parsed = parseRankings('[[2], [0, 3], [1]]2031;![[1,0,2]];[[0],[1],[2],[3],[4],[5],[6],[7],[8]]876543210;', 3);
    const slots = (row: number, column: Int8Array) => Array.from(column.subarray(row * MAX_SLOTS, row * MAX_SLOTS + MAX_SLOTS));
    expect(slots(0, parsed.group)).toEqual([1, 2, 0, 1, -1, -1, -1, -1, -1]);
    expect(slots(0, parsed.shown)).toEqual([1, 3, 0, 2, -1, -1, -1, -1, -1]);
    expect(slots(1, parsed.group)).toEqual([0, 0, 0, -1, -1, -1, -1, -1, -1]);
    expect(slots(1, parsed.shown)).toEqual(new Array(MAX_SLOTS).fill(-1));
    expect(slots(2, parsed.group)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(slots(2, parsed.shown)).toEqual([8, 7, 6, 5, 4, 3, 2, 1, 0]);
    expect(Array.from(parsed.allBad)).toEqual([0, 1, 0]);
  });

  it('refuses a text holding another number of rankings than the judgments flagged', () => {
    expect(() => parseRankings('[[0], [1]]01;', 2)).toThrow(/1 rankings for 2/);
    expect(parseRankings('', 0).count).toBe(0);
  });

  it('gives a pair of slots the canonical choice their groups call for', () => {
    expect([pairChoiceOf(0, 1, false), pairChoiceOf(2, 1, false), pairChoiceOf(1, 1, false), pairChoiceOf(0, 0, true)]).toEqual([0, 1, 2, 3]);
  });
});

describe('parseRankingTasks', () => {
  it("reads each task's response ids by slot and the group of every slot in its gold and reference rankings", () => {
    const parsed = parseRankingTasks('101,102,103,1040|[[0], [1, 2], [3]]|;7,8,9||[[2], [0], [1]];', 2);
    const slots = (row: number, column: Int8Array) => Array.from(column.subarray(row * MAX_SLOTS, row * MAX_SLOTS + 4));
    expect(Array.from(parsed.slotStart)).toEqual([0, 4, 7]);
    expect(Array.from(parsed.slotIds)).toEqual([101, 102, 103, 1040, 7, 8, 9]);
    expect(slots(0, parsed.gold)).toEqual([0, 1, 1, 2]);
    expect(slots(0, parsed.reference)).toEqual([-1, -1, -1, -1]);
    expect(slots(1, parsed.gold)).toEqual([-1, -1, -1, -1]);
    expect(slots(1, parsed.reference)).toEqual([1, 2, 0, -1]);
    expect(() => parseRankingTasks('1,2,3||;', 2)).toThrow(/1 ranking tasks for 2/);
  });
});
