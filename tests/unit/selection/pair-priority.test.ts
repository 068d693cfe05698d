// The active selection rule and the claim's arm, without a database.
import { describe, expect, it } from 'vitest';
import { chooseClaimArm } from '../../../server/domain/selection/claim-arm';
import { PRIORITY_FLOOR, pairPriorities } from '../../../server/domain/selection/pair-priority';
import { stoppingVerdict } from '../../../server/domain/selection/stopping-rule';
import { bradleyTerryLeaderboard, type Leaderboard } from '../../../server/domain/stats/bradley-terry';

describe('pair priorities', () => {
  // a and b close with few judgments (ambiguous), c far below both with many (settled).
  const board = bradleyTerryLeaderboard(
    [
      { modelA: 'a', modelB: 'b', winsA: 6, winsB: 5, ties: 0 },
      { modelA: 'a', modelB: 'c', winsA: 180, winsB: 20, ties: 0 },
      { modelA: 'b', modelB: 'c', winsA: 175, winsB: 25, ties: 0 },
      { modelA: 'd', modelB: 'a', winsA: 3, winsB: 0, ties: 0 },
    ],
    { rounds: 200, seed: 3 },
  );
  const priority = (x: string, y: string) => pairPriorities(board).find((p) => (p.modelA === x && p.modelB === y) || (p.modelA === y && p.modelB === x))!.priority;

  it('favours the ambiguous close pair over the settled ones, and never goes below the floor', () => {
    expect(priority('a', 'b')).toBeGreaterThan(0.9);
    expect(priority('a', 'c')).toBe(PRIORITY_FLOOR);
    expect(priority('b', 'c')).toBe(PRIORITY_FLOOR);
    expect(pairPriorities(board)).toHaveLength(6);
  });

  it('gives 1 to a pair with a model that has no estimate yet (d won every comparison)', () => {
    expect(priority('d', 'a')).toBe(1);
    expect(priority('d', 'c')).toBe(1);
  });
});

describe('pair priorities when a pair has no open place', () => {
  // a and b close and ambiguous; c settled below both, so (a, c) and (b, c) are at the floor on their own.
  const board = bradleyTerryLeaderboard(
    [
      { modelA: 'a', modelB: 'b', winsA: 6, winsB: 5, ties: 0 },
      { modelA: 'a', modelB: 'c', winsA: 150, winsB: 50, ties: 0 },
      { modelA: 'b', modelB: 'c', winsA: 145, winsB: 55, ties: 0 },
    ],
    { rounds: 200, seed: 5 },
  );
  const of = (rows: ReturnType<typeof pairPriorities>, x: string, y: string) => rows.find((p) => (p.modelA === x && p.modelB === y) || (p.modelA === y && p.modelB === x))!.priority;

  it('passes the priority of a full pair to the pairs through a third model, in proportion to the information of that path', () => {
    const open = pairPriorities(board);
    expect(of(open, 'a', 'c')).toBe(PRIORITY_FLOOR);
    const full = pairPriorities(board, board.models, 0.95, (x, y) => [x, y].sort().join() === 'a,b');
    // The full pair keeps its own priority (the claim skips it anyway); the two-step path a-c-b gets part of it.
    expect(of(full, 'a', 'b')).toBe(of(open, 'a', 'b'));
    for (const [x, y] of [['a', 'c'], ['b', 'c']] as const) {
      expect(of(full, x, y)).toBeGreaterThan(0.2 * of(open, 'a', 'b'));
      expect(of(full, x, y)).toBeLessThan(0.5 * of(open, 'a', 'b'));
    }
  });

  it('passes nothing on from a full pair that is settled', () => {
    const full = pairPriorities(board, board.models, 0.95, (x, y) => [x, y].sort().join() === 'a,c');
    expect(full).toEqual(pairPriorities(board));
  });
});

describe('claim arm', () => {
  const now = new Date('2026-12-06T12:00:00Z');
  const base = { selection: 'active' as const, controlShare: 0.2, prioritiesAt: new Date(now.getTime() - 10_000), now, staleSeconds: 300, gold: false };

  it('sends a draw below the control share to the control arm, the rest to active while priorities are fresh', () => {
    expect(chooseClaimArm({ ...base, draw: () => 0.1 })).toBe('control');
    expect(chooseClaimArm({ ...base, draw: () => 0.5 })).toBe('active');
  });

  it('falls back to uniform when priorities are stale or missing; gold and uniform campaigns are always uniform', () => {
    expect(chooseClaimArm({ ...base, prioritiesAt: new Date(now.getTime() - 301_000), draw: () => 0.5 })).toBe('uniform');
    expect(chooseClaimArm({ ...base, prioritiesAt: null, draw: () => 0.5 })).toBe('uniform');
    expect(chooseClaimArm({ ...base, gold: true, draw: () => 0.5 })).toBe('uniform');
    expect(chooseClaimArm({ ...base, selection: 'uniform', draw: () => 0.1 })).toBe('uniform');
  });
});

describe('pair priorities of models not on the leaderboard', () => {
  it('gives 1 to every pair with a model that has no judgment yet', () => {
    const board = bradleyTerryLeaderboard([{ modelA: 'a', modelB: 'b', winsA: 5, winsB: 5, ties: 0 }], { rounds: 50, seed: 1 });
    const rows = pairPriorities(board, ['a', 'b', 'new']);
    expect(rows).toHaveLength(3);
    expect(rows.filter((r) => r.modelA === 'new' || r.modelB === 'new').map((r) => r.priority)).toEqual([1, 1]);
  });
});

describe('stopping verdict', () => {
  it('has no estimate and is not answered without a leaderboard', () => {
    const board = bradleyTerryLeaderboard([], { rounds: 10, seed: 1 });
    expect(stoppingVerdict(board, { margin: 0, budget: null, spent: 0, level: 0.95 })).toMatchObject({ answered: null, moreJudgments: null, pairs: [] });
  });
});

describe('judgments still needed', () => {
  // Two models a hair apart (50 near-equal models at 3 judgments a pair gave such neighbours): the estimate grows as
  // 1 / gap^2, past any integer JSON can carry, and the stats reply failed its schema (a 500 for the whole Results page).
  it('calls a pair out of reach, not 10^22 judgments away, when the gap is practically nil', () => {
    const rating = (model: string, value: number) => ({ model, rating: value, ci: null, judgments: 10, wins: 5, losses: 5, ties: 0, estimable: true });
    const board: Leaderboard = {
      ratings: [rating('a', 1000 + 1e-9), rating('b', 1000)],
      models: ['a', 'b'],
      winRates: [
        [null, 0.5],
        [0.5, null],
      ],
      pairJudgments: [
        [0, 10],
        [10, 0],
      ],
      bootstrap: { rounds: 3, used: 3, dropped: 0, seed: 1 },
      replicates: [
        [960, 1000, 1040],
        [1000, 1000, 1000],
      ],
    };
    const verdict = stoppingVerdict(board, { margin: 0, budget: null, spent: 10, level: 0.95 });
    expect(verdict.pairs[0]).toMatchObject({ settled: false, moreJudgments: null });
    expect(verdict.moreJudgments).toBeNull();
  });
});
