// The stats thread: tasks give there exactly what they give on the calling thread; a failing task
// fails alone; an ended thread is started again by the next task.
import { afterAll, describe, expect, it } from 'vitest';
import { NO_CHOICE } from '../../../server/db/repositories/stats';
import { createSeededRandom } from '../../../server/domain/stats/random';
import { endStatsThread, runOnStatsThread } from '../../../server/process/stats-thread';
import { runStatsTask, type StatsTaskInput } from '../../../server/process/stats-thread-tasks';
import { agreementOfTable, type AgreementTable } from '../../../server/services/stats/agreement-panel';

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

/**
 * The judgment table's columns behind `agreementInput(seed)`: comparisons by id (none gold), every judgment counted,
 * strengths unsigned (0 for none).
 */
function agreementTable(seed: number): AgreementTable {
  const { columns } = agreementInput(seed);
  return {
    comparison: columns.comparison,
    rater: columns.rater,
    choice: columns.choice,
    strength: Uint8Array.from(columns.signedStrength, (s) => (Number.isNaN(s) ? 0 : Math.abs(s))),
    counted: new Uint8Array(columns.choice.length).fill(1),
    comparisons: { id: Int32Array.from({ length: 300 }, (_, c) => 100 + c), gold: new Uint8Array(300).fill(NO_CHOICE) },
  };
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

  it("computes the stats endpoint's agreement panel from the table's columns exactly as the calling thread does", async () => {
    const here = agreementOfTable(agreementTable(8), agreementInput(8).options);
    const there = await runOnStatsThread('agreementOfTable', { table: agreementTable(8), options: agreementInput(8).options });
    expect(there).toEqual(here);
    // The summary of the columns the table gives.
    expect(there.summary).toEqual(runStatsTask('agreement', agreementInput(8)));
    expect(there.summary.cohenWeightedPairwise!.pairs.length).toBeGreaterThan(0);
    expect(there.undefinedReason).toBeNull();
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
