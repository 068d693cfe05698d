/// <reference lib="dom" />
// The stopping rule on the Results page in Chromium: each adjacent pair of the leaderboard marked settled or
// unsettled as the stats API says, the estimate of the judgments still needed, and the leaderboard switched to
// the uniform arm alone.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { TCampaignStats } from '../../server/contract/stats';
import { SESSION_COOKIE } from '../../server/plugins/auth';
import { client, type TestUser } from '../helpers/app';
import { seedStats, type StatsJudgment } from '../../testkit/factory';
import { startRaterWorld, type RaterWorld } from './rater-app';

let world: RaterWorld;
let page: Page;
let admin: TestUser;

beforeAll(async () => {
  world = await startRaterWorld();
  ({ page, admin } = world);
  await world.browser.context.addCookies([{ name: SESSION_COOKIE, value: admin.session, url: world.baseUrl }]);
  await page.setViewportSize({ width: 1360, height: 900 });
});

afterAll(async () => world?.close());

/** One-judgment comparisons: `wins` for modelA, then `losses`. */
const games = (modelA: string, modelB: string, wins: number, losses: number) =>
  Array.from({ length: wins + losses }, (_, i) => ({ comparison: { modelA, modelB }, choice: i < wins ? ('A' as const) : ('B' as const) }));

it('marks each adjacent pair settled or unsettled, estimates what is left, and follows the arm the leaderboard rests on', async () => {
  // atlas clearly over borealis; borealis and cirrus too close to call.
  const played = [...games('atlas', 'borealis', 34, 6), ...games('borealis', 'cirrus', 11, 9), ...games('atlas', 'cirrus', 19, 1)];
  const judgments: StatsJudgment[] = played.map((p, comparison) => ({ comparison, rater: 0, choice: p.choice }));
  const { campaignId } = await seedStats(world.testApp.app, { k: 1, comparisons: played.map((p) => p.comparison), raters: 1, judgments });
  // A quarter of the assignments as if active selection had picked them.
  await world.testApp.app.ctx.db.prisma.$executeRawUnsafe(
    `UPDATE "Assignment" SET arm = 'active' WHERE id IN (SELECT id FROM "Assignment" WHERE "campaignId" = $1::uuid ORDER BY "comparisonId" LIMIT 20)`,
    campaignId,
  );
  const api = (await client(world.testApp.app, admin).get(`/api/campaigns/${campaignId}/stats`).expect(200)).body as TCampaignStats;
  expect(api.answer.pairs.map((p) => p.settled)).toEqual([true, false]);

  await page.goto(`${world.baseUrl}/campaigns/${campaignId}/stats`);
  const card = page.locator('#answer');
  await card.locator('tbody tr').first().waitFor();
  const rows = await card.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent?.trim() ?? '')));
  expect(rows.map((r) => [r[0], r[1]])).toEqual(api.answer.pairs.map((p) => [p.upper, p.lower]));
  expect(rows[0]![4]).toBe('settled');
  expect(rows[1]![4]).toMatch(/^unsettled/);
  expect(await card.getByText('Not answered yet: 1 of 2 adjacent pairs unsettled.').count()).toBe(1);
  expect(await card.getByText(`About ${api.answer.moreJudgments!.toLocaleString('en')} more judgments`, { exact: false }).count()).toBe(1);
  expect(await card.getByText('Leaderboard from all judgments: 80 judgments', { exact: false }).count()).toBe(1);
  expect(await card.getByText('20 picked by active selection', { exact: false }).count()).toBe(1);

  await card.getByRole('radio', { name: 'uniform arm only' }).check();
  await card.getByText('Leaderboard from the uniform arm only (unbiased): 60 judgments', { exact: false }).waitFor();
  await page.screenshot({ path: 'test-results/answer-card.png', fullPage: true });
});

it('says a pair too close to part has no estimate, not that it is too early, once every model is rated', async () => {
  // Seen with 50 models and 7,350 judgments: one adjacent pair within the margin made the card say "Too early to estimate".
  const played = [...games('atlas', 'borealis', 30, 10), ...games('borealis', 'cirrus', 10, 10), ...games('atlas', 'cirrus', 30, 10)];
  const judgments: StatsJudgment[] = played.map((p, comparison) => ({ comparison, rater: 0, choice: p.choice }));
  const { campaignId } = await seedStats(world.testApp.app, { k: 1, comparisons: played.map((p) => p.comparison), raters: 1, judgments });
  const api = (await client(world.testApp.app, admin).get(`/api/campaigns/${campaignId}/stats`).expect(200)).body as TCampaignStats;
  expect(api.answer).toMatchObject({ unrated: [], moreJudgments: null });
  expect(api.answer.pairs.some((p) => !p.settled && p.moreJudgments === null)).toBe(true);

  await page.goto(`${world.baseUrl}/campaigns/${campaignId}/stats`);
  const card = page.locator('#answer');
  await card.locator('tbody tr').first().waitFor();
  const text = await card.innerText();
  expect(text).not.toContain('Too early');
  expect(text).toContain('No estimate of the judgments still needed: an adjacent pair is too close to part at the current ratings');
});
