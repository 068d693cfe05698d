/// <reference lib="dom" />
// The Results page of a campaign with 50 models of long names, at 1280x900 and on a phone (390x844): nothing
// makes the page scroll sideways, the leaderboard keeps room for its scale on a phone, the win-rate grid of all
// 50 has labels that do not run into each other, and its numbers are a table with row and column headers whose
// headers stay in view while it scrolls, reachable from the keyboard. The campaign page's tabs fit a phone too.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { TCampaignStats } from '../../server/contract/stats';
import { SESSION_COOKIE } from '../../server/plugins/auth';
import { seedStats, type StatsJudgment } from '../../testkit/factory';
import { client } from '../helpers/app';
import { startRaterWorld, type RaterWorld } from './rater-app';

const ORGS = ['meta-llama', 'mistralai', 'Qwen', 'google', 'allenai', 'our-lab'];
const MODELS = Array.from({ length: 50 }, (_, i) => `${ORGS[i % ORGS.length]}/policy-${['7b', '13b', '70b', '8x7b'][i % 4]}-rlhf-step-${(i + 1) * 500}`);

let world: RaterWorld;
let page: Page;
let campaignId: string;
let stats: TCampaignStats;

beforeAll(async () => {
  world = await startRaterWorld();
  page = world.page;
  // Every pair once; the later model of a pair wins two judgments in three (rater 2 always picks the earlier one).
  const comparisons = MODELS.flatMap((a, i) => MODELS.slice(i + 1).map((b) => ({ modelA: a, modelB: b })));
  const judgments: StatsJudgment[] = comparisons.flatMap((_, index) => [0, 1, 2].map((rater) => ({ comparison: index, rater, choice: rater === 2 ? 'A' : 'B' })));
  ({ campaignId } = await seedStats(world.testApp.app, { comparisons, raters: 3, judgments }));
  stats = (await client(world.testApp.app, world.admin).get(`/api/campaigns/${campaignId}/stats`).expect(200)).body as TCampaignStats;
  await world.browser.context.addCookies([{ name: SESSION_COOKIE, value: world.admin.session, url: world.baseUrl }]);
}, 300_000);
afterAll(async () => world?.close());

async function open(width: number, height: number) {
  await page.setViewportSize({ width, height });
  await page.goto(`${world.baseUrl}/campaigns/${campaignId}/stats`);
  await page.locator('figure[aria-label="Leaderboard"] g[aria-description="model rating"] circle').first().waitFor();
  await page.locator('figure[aria-label="Win-rate heatmap"] svg').first().waitFor();
}

const pageOverflow = () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

it('fits a phone: no sideways page scroll, and the leaderboard names each model above a scale it can read', async () => {
  expect(stats.leaderboard.filter((e) => e.estimable)).toHaveLength(50);
  await open(390, 844);
  await page.getByRole('table').filter({ hasText: 'Gap (Elo)' }).waitFor();
  expect(await pageOverflow()).toBe(0);
  const board = page.getByRole('figure', { name: 'Leaderboard' });
  const xs = await board.locator('g[aria-description="model rating"] circle').evaluateAll((dots) => dots.map((d) => Number(d.getAttribute('cx'))));
  // Beside 220-pixel names the scale had 40 pixels at this width: 50 ratings from ~650 to ~1350 in a line.
  expect(Math.max(...xs) - Math.min(...xs)).toBeGreaterThan(150);
  expect(await board.locator('g[aria-description="model name"] text').allTextContents()).toEqual(stats.leaderboard.map((e) => e.model));
  // All 50 in the grid and the table open: they scroll in their boxes, the page does not.
  await page.getByLabel('Models shown').selectOption('50');
  await expect.poll(() => page.locator('figure[aria-label="Win-rate heatmap"] g[aria-description="model pair"] rect').count()).toBe(2500);
  await page.getByText('Win rates as a table (50 × 50)').click();
  await page.getByRole('region', { name: 'Win-rate table' }).getByRole('table').waitFor();
  expect(await pageOverflow()).toBe(0);
  if (process.env.JUXTA_SCREENSHOTS) await page.screenshot({ path: `${process.env.JUXTA_SCREENSHOTS}/dashboard-50-phone.png`, fullPage: true });
});

it('draws all 50 with labels apart, and gives the numbers as a table with sticky headers a keyboard can scroll', async () => {
  await open(1280, 900);
  expect(await pageOverflow()).toBe(0);
  await page.getByLabel('Models shown').selectOption('50');
  const heatmap = page.getByRole('figure', { name: 'Win-rate heatmap' });
  await expect.poll(() => heatmap.locator('g[aria-description="model pair"] rect').count()).toBe(2500);
  // Column labels (ranks) and row labels (rank and name) each in their own space.
  for (const axis of ['x', 'y'] as const) {
    const boxes = await heatmap.locator(`g[aria-label="${axis}-axis tick label"] text`).evaluateAll((labels) => labels.map((l) => l.getBoundingClientRect().toJSON() as DOMRect));
    expect(boxes).toHaveLength(50);
    for (let i = 1; i < boxes.length; i++) {
      const [a, b] = [boxes[i - 1]!, boxes[i]!];
      expect(axis === 'x' ? b.left >= a.right - 0.5 : b.top >= a.bottom - 0.5, `${axis} labels ${i} and ${i + 1} overlap`).toBe(true);
    }
  }
  expect(await heatmap.locator('g[aria-label="y-axis tick label"] text').first().textContent()).toBe(`1. ${stats.winRates.models[0]}`);
  expect(await pageOverflow()).toBe(0);

  // The table: a column header per model (named for screen readers), a row header per model, the API's figures.
  await page.getByText('Win rates as a table (50 × 50)').click();
  const region = page.getByRole('region', { name: 'Win-rate table' });
  const table = region.getByRole('table');
  expect(await table.getByRole('columnheader').count()).toBe(51);
  expect(await table.getByRole('rowheader').count()).toBe(50);
  const [i, j] = [3, 41];
  const [row, column] = [stats.winRates.models[i]!, stats.winRates.models[j]!];
  await table.getByRole('columnheader', { name: column, exact: true }).waitFor();
  const cell = table.getByRole('row', { name: new RegExp(`^${i + 1}\\. ${row.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} `) }).getByRole('cell').nth(j);
  expect(await cell.innerText()).toBe(`${Math.round(stats.winRates.matrix[i]![j]! * 100)}%\nof ${stats.winRates.counts[i]![j]}`);

  // From the keyboard: Tab from the summary reaches the table's box, the arrow keys scroll it, the headers stay.
  await page.getByText('Win rates as a table (50 × 50)').focus();
  await page.keyboard.press('Tab');
  expect(await region.evaluate((el) => el === document.activeElement)).toBe(true);
  for (let k = 0; k < 40; k++) await page.keyboard.press('ArrowRight');
  await page.keyboard.press('End');
  await expect.poll(() => region.evaluate((el) => [el.scrollLeft > 0, el.scrollTop > 0])).toEqual([true, true]);
  const top = (await region.boundingBox())!;
  const corner = (await table.getByRole('columnheader', { name: 'Model' }).boundingBox())!;
  const lastRow = (await table.getByRole('rowheader').last().boundingBox())!;
  expect(await pageOverflow()).toBe(0);
  expect(Math.abs(corner.y - top.y)).toBeLessThan(2);
  expect(Math.abs(corner.x - top.x)).toBeLessThan(2);
  expect(Math.abs(lastRow.x - top.x)).toBeLessThan(2);
  if (process.env.JUXTA_SCREENSHOTS) await page.screenshot({ path: `${process.env.JUXTA_SCREENSHOTS}/dashboard-50.png`, fullPage: true });
});

it("fits the campaign page's tabs on a phone, and the export's fields side by side on a desktop: long option names stay in their boxes", async () => {
  await page.setViewportSize({ width: 390, height: 844 });
  for (const tab of ['settings', 'import', 'generate', 'export', 'raters']) {
    await page.goto(`${world.baseUrl}/campaigns/${campaignId}?tab=${tab}`);
    await page.getByRole('tabpanel').locator('h2').first().waitFor();
    await page.waitForLoadState('networkidle');
    expect(await pageOverflow(), `the ${tab} tab`).toBe(0);
  }
  // On a desktop the export's Prompt select (its longest option is an HH transcript) ran under the checkbox beside it.
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(`${world.baseUrl}/campaigns/${campaignId}?tab=export`);
  await page.getByLabel('Format').selectOption('trl');
  const select = (await page.getByLabel('Prompt', { exact: true }).boundingBox())!;
  const margin = (await page.getByText("Add TRL's margin").boundingBox())!;
  expect(select.x + select.width).toBeLessThanOrEqual(margin.x);
});

it("keeps the grid's axis title whole in view wherever the grid of 50 is scrolled sideways on a phone", async () => {
  await open(390, 844);
  await page.getByLabel('Models shown').selectOption('50');
  const heatmap = page.getByRole('figure', { name: 'Win-rate heatmap' });
  await expect.poll(() => heatmap.locator('g[aria-description="model pair"] rect').count()).toBe(2500);
  const scroller = heatmap.locator('.grid-scroll');
  const title = heatmap.getByText('Opponent (rank) →');
  await heatmap.evaluate((el) => el.scrollIntoView({ block: 'start' }));
  for (const at of [0, 0.5, 1]) {
    await scroller.evaluate((el, at) => (el.scrollLeft = at * (el.scrollWidth - el.clientWidth)), at);
    // Centred over the 700-pixel run of columns, the title was seen only in part, cut off at the box's right edge.
    const seen = await title.evaluate((text) => {
      const [box, frame] = [text.getBoundingClientRect(), text.closest('[aria-label="Win-rate heatmap"]')!.querySelector('.grid-scroll')!.getBoundingClientRect()];
      const over = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
      return box.left >= frame.left - 0.5 && box.right <= frame.right + 0.5 && over !== null && text.contains(over);
    });
    expect(seen, `scrolled ${at * 100}%`).toBe(true);
  }
});

it("keeps the rater's name in view when the rater table scrolls sideways on a phone", async () => {
  await open(390, 844);
  const table = page.locator('#raters table');
  await table.locator('tbody th').first().waitFor();
  const scroller = page.locator('#raters .scroll');
  await scroller.evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await scroller.evaluate((el) => (el.scrollLeft = el.scrollWidth));
  await expect.poll(() => scroller.evaluate((el) => el.scrollLeft)).toBeGreaterThan(100);
  const left = (await scroller.boundingBox())!.x;
  const names = table.locator('tbody th');
  for (const name of [table.locator('thead th').first(), ...(await names.all())]) {
    const box = (await name.boundingBox())!;
    expect(Math.abs(box.x - left)).toBeLessThan(2);
    // Seen, not overdrawn by the scrolled cells.
    expect(await name.evaluate((el) => el.contains(document.elementFromPoint(el.getBoundingClientRect().left + 4, el.getBoundingClientRect().top + 6)))).toBe(true);
  }
});
