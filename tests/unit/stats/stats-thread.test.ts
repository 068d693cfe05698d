// The stats thread: tasks give there exactly what they give on the calling thread; a failing task
// fails alone; an ended thread is started again by the next task.
import { afterAll, describe, expect, it } from 'vitest';
import { agreementFiguresOfColumns } from '../../../server/domain/stats/agreement-summary';
import { createSeededRandom } from '../../../server/domain/stats/random';
import { endStatsThread, runOnStatsThread } from '../../../server/process/stats-thread';
import { runStatsTask, type StatsTaskInput } from '../../../server/process/stats-thread-tasks';
import { rankingAgreement } from '../../../server/services/stats/ranking-agreement';
import { MAX_SLOTS } from '../../../server/services/stats/ranking-units';

afterAll(() => endStatsThread());

/** 300 comparisons judged by 3 of 8 raters each, with noisy agreement and a strength on most answers. */
function agreementInput(seed: number): StatsTaskInput<'agreement'> {
  const random = createSeededRandom(seed);
  const [comparison, rater, choice, strength] = [[] as number[], [] as number[], [] as number[], [] as number[]];
  for (let c = 0; c < 300; c++) {
    const truth = Math.floor(random() * 4);
    const first = Math.floor(random() * 8);
    for (let r = 0; r < 3; r++) {
      const answer = random() < 0.7 ? truth : Math.floor(random() * 4);
      comparison.push(c);
      rater.push((first + 3 * r) % 8);
      choice.push(answer);
      strength.push(answer === 2 ? 0 : answer === 3 || random() < 0.2 ? NaN : (answer === 0 ? 1 : -1) * (1 + Math.floor(random() * 3)));
    }
  }
  return {
    columns: { comparison: Int32Array.from(comparison), rater: Int32Array.from(rater), choice: Uint8Array.from(choice), signedStrength: Float64Array.from(strength) },
    options: { k: 3, rounds: 200, seed: 7, minOverlap: 5 },
  };
}

/** 200 ranking tasks of 4 slots, each ranked by 3 raters (random orders, some ties), a few units not counted or gold. */
function rankingInput(seed: number): StatsTaskInput<'rankingAgreement'> {
  const random = createSeededRandom(seed);
  const count = 600;
  const units = {
    count,
    task: new Int32Array(count),
    counted: new Uint8Array(count),
    gold: new Uint8Array(count),
    present: new Uint16Array(count).fill(0b1111),
    wins: new Uint8Array(count * MAX_SLOTS),
    ties: new Uint8Array(count * MAX_SLOTS),
  };
  for (let u = 0; u < count; u++) {
    units.task[u] = 1000 + Math.floor(u / 3);
    units.counted[u] = random() < 0.95 ? 1 : 0;
    units.gold[u] = units.task[u]! % 50 === 0 ? 1 : 0;
    // Each slot's group (0 = best), three groups for four slots: one tie at least.
    const group = Array.from({ length: 4 }, () => Math.floor(random() * 3));
    for (let a = 0; a < 4; a++) {
      for (let b = 0; b < 4; b++) {
        if (a === b) continue;
        if (group[a]! < group[b]!) units.wins[u * MAX_SLOTS + a]!++;
        else if (group[a] === group[b]) units.ties[u * MAX_SLOTS + a]!++;
      }
    }
  }
  return { units, options: { rounds: 200, seed: 5 } };
}

describe('stats thread', () => {
  it('computes the agreement summary exactly as the calling thread does, with moved buffers', async () => {
    const here = runStatsTask('agreement', agreementInput(1));
    const input = agreementInput(1);
    const buffers = Object.values(input.columns).map((column) => column.buffer as ArrayBuffer);
    const there = await runOnStatsThread('agreement', input, buffers);
    expect(there).toEqual(here);
    expect(there.cohenPairwise.pairs.length).toBeGreaterThan(0);
    expect(there.alphaOrdinal.value).not.toBeNull();
    // Moved, not copied: the caller's columns are detached.
    expect(input.columns.comparison.length).toBe(0);
  });

  it("splits the summary: the Cohen kappas there and the other figures here make the whole summary (the stats endpoint's agreement panel)", async () => {
    const whole = runStatsTask('agreement', agreementInput(8));
    const input = agreementInput(8);
    const cohen = await runOnStatsThread('agreementCohen', input);
    const figures = agreementFiguresOfColumns(input.columns, input.options);
    expect({ ...figures, ...cohen }).toEqual(whole);
    expect(Object.keys(cohen).sort()).toEqual(['cohenPairwise', 'cohenWeightedPairwise']);
    expect(cohen.cohenWeightedPairwise!.pairs.length).toBeGreaterThan(0);
  });

  it('fits the Bradley-Terry leaderboard and its bootstrap exactly as the calling thread does (the priority refresh)', async () => {
    const random = createSeededRandom(11);
    const rows = Array.from({ length: 6 }, (_, i) => Array.from({ length: 6 - i - 1 }, (_, j) => ({ modelA: `m${i}`, modelB: `m${i + j + 1}`, winsA: 5 + Math.floor(random() * 20), winsB: 3 + Math.floor(random() * 10), ties: Math.floor(random() * 3) }))).flat();
    const input = { rows, rounds: 50, seed: 3 };
    const there = await runOnStatsThread('leaderboard', input);
    expect(there).toEqual(runStatsTask('leaderboard', input));
    expect(there.replicates[0]).toHaveLength(50);
    expect(there.ratings.every((r) => r.estimable && r.ci !== null)).toBe(true);
  });

  it("computes a ranking campaign's Kendall's W and alpha on ranks exactly as the calling thread does", async () => {
    const here = rankingAgreement(rankingInput(4).units, rankingInput(4).options);
    const there = await runOnStatsThread('rankingAgreement', rankingInput(4));
    expect(there).toEqual(here);
    expect(there.tasks).toBeGreaterThan(150);
    expect(there.kendallW.ci).not.toBeNull();
    expect(there.alphaOrdinalRanks.value).not.toBeNull();
  });

  it('runs tasks posted together, each to its own answer', async () => {
    const results = await Promise.all([2, 3, 4].map((seed) => runOnStatsThread('agreement', agreementInput(seed))));
    expect(results).toEqual([2, 3, 4].map((seed) => runStatsTask('agreement', agreementInput(seed))));
  });

  it('fails a task that throws with its message and keeps serving the next one', async () => {
    const broken = { columns: null, options: {} };
    const failed = runOnStatsThread('agreement', broken as unknown as StatsTaskInput<'agreement'>);
    await expect(failed).rejects.toThrow(/^stats thread: /);
    expect(await runOnStatsThread('agreement', agreementInput(5))).toEqual(runStatsTask('agreement', agreementInput(5)));
  });

  it('starts again after it was ended', async () => {
    await endStatsThread();
    expect(await runOnStatsThread('agreement', agreementInput(6))).toEqual(runStatsTask('agreement', agreementInput(6)));
  });
});
