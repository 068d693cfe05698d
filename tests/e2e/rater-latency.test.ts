/// <reference lib="dom" />
// A measurement, not a timed assertion: how long a rater waits for the next comparison. From the
// submitting key press (the keydown event's timeStamp) to the second animation frame after the next
// comparison's responses are in the DOM (by then it has been painted), over 200 judgments against the
// real server. Writes p50/p95 to test-results/rater-latency.json; the target is a p95 under 50 ms.
// Then the same for ranking tasks of 4 cards (issue 17: the pair view's budget), printed next to the
// pair figure of the same run, in test-results/rater-latency-ranking.json.
import { mkdir, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { client } from '../helpers/app';
import { acceptInvite, nextShown, promptSet, setUpCampaign, startRaterWorld, tabTo, type RaterWorld } from './rater-app';

const JUDGMENTS = 200;
const RANKINGS = 100;
/** A rater reads before answering; this also lets the reply with the comparison after next arrive. */
const THINK_MS = 30;

let world: RaterWorld;
beforeAll(async () => {
  world = await startRaterWorld();
});
afterAll(async () => world?.close());

interface LatencyProbe {
  samples: number[];
}

/** In the page: Enter's timeStamp, then two frames after another assignment's responses (panes or cards) are on screen. */
function installProbe(): void {
  const probe: LatencyProbe = { samples: [] };
  (window as unknown as { latencyProbe: LatencyProbe }).latencyProbe = probe;
  const shownId = () => document.querySelector('[data-assignment-id]')?.getAttribute('data-assignment-id') ?? null;
  let pending: { pressedAt: number; from: string | null } | null = null;
  addEventListener(
    'keydown',
    (event) => {
      if (event.key === 'Enter') pending = { pressedAt: event.timeStamp, from: shownId() };
    },
    true,
  );
  new MutationObserver(() => {
    const id = shownId();
    if (!pending || !id || id === pending.from || !document.querySelector('[data-assignment-id] :is(.pane, [data-card])')) return;
    const { pressedAt } = pending;
    pending = null;
    requestAnimationFrame(() => requestAnimationFrame(() => probe.samples.push(performance.now() - pressedAt)));
  }).observe(document.body, { childList: true, subtree: true });
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;

interface LatencyResult {
  judgments: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
}

/** Answers `judgments` tasks with `answer`'s keys then Enter, each after a short read, and sums up the waits. */
async function measure(judgments: number, answer: (index: number) => string[]): Promise<LatencyResult> {
  const { page } = world;
  let shown = await nextShown(page, null);
  await page.evaluate(installProbe);
  const saved = page.getByText('All answers saved');
  for (let i = 0; i < judgments; i++) {
    await saved.waitFor();
    await page.waitForTimeout(THINK_MS);
    for (const key of answer(i)) await page.keyboard.press(key);
    await page.keyboard.press('Enter');
    shown = await nextShown(page, shown);
    await page.waitForFunction((count) => (window as unknown as { latencyProbe: LatencyProbe }).latencyProbe.samples.length > count, i);
  }
  await saved.waitFor();
  const samples = await page.evaluate(() => (window as unknown as { latencyProbe: LatencyProbe }).latencyProbe.samples);
  expect(samples).toHaveLength(judgments);
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    judgments: samples.length,
    p50Ms: Number(percentile(sorted, 50).toFixed(1)),
    p95Ms: Number(percentile(sorted, 95).toFixed(1)),
    maxMs: Number((sorted.at(-1) as number).toFixed(1)),
  };
}

/** The pair figure of this run, the baseline printed beside the ranking one. */
let pairs: LatencyResult | undefined;

it(`measures the key-press-to-next-comparison latency over ${JUDGMENTS} judgments`, async () => {
  const { page } = world;
  // 22 prompts x 5 models: 220 comparisons, k = 1, with markdown to render on every one.
  const { campaignId, comparisons, inviteUrl } = await setUpCampaign(world, { instructions: 'Pick the better answer.' }, promptSet(22, ['m1', 'm2', 'm3', 'm4', 'm5']));
  expect(comparisons).toBeGreaterThan(JUDGMENTS);

  await acceptInvite(page, inviteUrl, 'Lee Latency');
  await tabTo(page, 'Start rating');
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: /instructions$/ }).waitFor();
  await tabTo(page, 'Start rating');
  await page.keyboard.press('Enter');

  pairs = await measure(JUDGMENTS, (i) => [i % 2 ? '1' : '2']);
  const result = { ...pairs, targetP95Ms: 50, measuredAt: new Date().toISOString() };
  console.log(`rater latency over ${result.judgments} judgments: p50 ${result.p50Ms} ms, p95 ${result.p95Ms} ms, max ${result.maxMs} ms (target p95 < 50 ms)`);
  await mkdir('test-results', { recursive: true });
  await writeFile('test-results/rater-latency.json', `${JSON.stringify(result, null, 2)}\n`);

  // Every answer reached the database.
  const stored = await world.testApp.app.ctx.db.prisma.judgment.count({ where: { campaignId, undoneAt: null } });
  expect(stored).toBe(JUDGMENTS);
});

it(`measures the same for ${RANKINGS} ranking tasks of 4 cards, next to the pairs`, async () => {
  const { page, baseUrl, testApp, admin } = world;
  const { prisma } = testApp.app.ctx.db;
  const { campaignId, comparisons } = await setUpCampaign(
    world,
    { name: 'Ranking latency', instructions: 'Rank the answers.', design: { task: { type: 'ranking', size: 4 }, scale: { allowTie: true, allowBothBad: false, strengthLevels: [] } } },
    promptSet(RANKINGS + 5, ['m1', 'm2', 'm3', 'm4']),
  );
  expect(comparisons).toBeGreaterThan(RANKINGS);
  const rater = await prisma.user.findFirstOrThrow({ where: { name: 'Lee Latency' } });
  await client(testApp.app, admin).post(`/api/campaigns/${campaignId}/members`).send({ userId: rater.id }).expect((res) => expect(res.status).toBeLessThan(300));
  await page.goto(`${baseUrl}/rate/${campaignId}`);
  await page.getByRole('heading', { name: /instructions$/ }).waitFor();
  await tabTo(page, 'Start rating');
  await page.keyboard.press('Enter');

  // Card numbers best to worst, a tie every other task.
  const rankings = await measure(RANKINGS, (i) => (i % 2 ? ['3', '1', '4', '2'] : ['2', '=', '4', '1', '3']));
  const result = { ...rankings, cards: 4, pairsSameRun: pairs ?? null, targetP95Ms: 50, measuredAt: new Date().toISOString() };
  console.log(
    `rater latency over ${result.judgments} rankings of 4 cards: p50 ${result.p50Ms} ms, p95 ${result.p95Ms} ms, max ${result.maxMs} ms` +
      (pairs ? `; pairs in this run: p50 ${pairs.p50Ms} ms, p95 ${pairs.p95Ms} ms` : '') +
      ' (target p95 < 50 ms)',
  );
  await mkdir('test-results', { recursive: true });
  await writeFile('test-results/rater-latency-ranking.json', `${JSON.stringify(result, null, 2)}\n`);
  expect(await prisma.judgment.count({ where: { campaignId, undoneAt: null } })).toBe(RANKINGS);
});
