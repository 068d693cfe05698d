/// <reference lib="dom" />
// The review pages in Chromium against the real server: the explorer's filters land in the URL and narrow
// the list, a comparison's page shows the prompt, both responses, every judgment and flag; the flag queue
// marks a response broken (and back) and dismisses the flag; the adjudication queue, most disputed first,
// takes an answer from the keyboard. Each effect is checked through the API, and the pages are usable on
// a phone-sized viewport (no sideways scrolling of the page).
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SESSION_COOKIE } from '../../server/plugins/auth';
import { client, type TestUser } from '../helpers/app';
import { addJudgments, seedCampaign, type SeededCampaign } from '../../testkit/factory';
import { startRaterWorld, type RaterWorld } from './rater-app';

let world: RaterWorld;
let page: Page;
let admin: TestUser;
let campaign: SeededCampaign;

const api = () => client(world.testApp.app, admin);
const comparison = async (id: number) => (await api().get(`/api/comparisons/${id}`).expect(200)).body;

beforeAll(async () => {
  world = await startRaterWorld();
  ({ page, admin } = world);
  await world.browser.context.addCookies([{ name: SESSION_COOKIE, value: admin.session, url: world.baseUrl }]);
  await page.setViewportSize({ width: 1280, height: 900 });

  // c0: k = 3 judgments, A, B, TIE (disputed, complete); c1: A, A, A (unanimous) and a flag on B; c2: open.
  campaign = await seedCampaign(world.testApp.app, {
    raters: 3,
    prompts: [
      {
        context: [{ role: 'user', content: 'Explain **recursion** to a ten-year-old.' }],
        responses: [
          { model: 'atlas-70b', content: 'A function that calls itself, like *mirrors facing each other*.' },
          { model: 'borealis-13b', content: 'Recursion is when you define something in terms of itself.' },
        ],
      },
      {
        context: [{ role: 'user', content: 'Name three prime numbers.' }],
        responses: [
          { model: 'atlas-70b', content: '2, 3 and 5.' },
          { model: 'cirrus-7b', content: 'Qu\u00e9 tal, the answer is cut off mid' },
        ],
      },
      {
        context: [{ role: 'user', content: 'What is the capital of Peru?' }],
        responses: [
          { model: 'borealis-13b', content: 'Lima.' },
          { model: 'cirrus-7b', content: 'Cusco.' },
        ],
      },
    ],
  });
  const [c0, c1] = campaign.comparisons as [SeededCampaign['comparisons'][number], SeededCampaign['comparisons'][number]];
  const [r0, r1, r2] = campaign.raters as [SeededCampaign['raters'][number], SeededCampaign['raters'][number], SeededCampaign['raters'][number]];
  const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);
  await addJudgments(world.testApp.app, campaign, [
    { comparison: c0, rater: r0, choice: 'A', strength: 2, rationale: 'The mirror image lands with kids.', createdAt: minutesAgo(30), timeMs: 41_000 },
    { comparison: c0, rater: r1, choice: 'B', leftIsA: false, createdAt: minutesAgo(29) },
    { comparison: c0, rater: r2, choice: 'TIE', createdAt: minutesAgo(28) },
    { comparison: c1, rater: r0, choice: 'A', createdAt: minutesAgo(20) },
    { comparison: c1, rater: r1, choice: 'A', createdAt: minutesAgo(19) },
    { comparison: c1, rater: r2, choice: 'A', createdAt: minutesAgo(18) },
  ]);
  const { prisma } = world.testApp.app.ctx.db;
  for (const c of [c0, c1]) await prisma.comparison.update({ where: { id: c.id }, data: { submitted: 3 } });
  const assignment = await prisma.assignment.findFirstOrThrow({ where: { comparisonId: c1.id, raterId: r2.id } });
  await prisma.flag.create({
    data: { campaignId: campaign.id, assignmentId: assignment.id, comparisonId: c1.id, raterId: r2.id, reason: 'BROKEN', target: 'B', note: 'Stops mid-sentence.' },
  });
  await prisma.comparison.update({ where: { id: c0.id }, data: { referenceChoice: 'A', referenceSource: 'alpaca-eval:test' } });
  await prisma.comparison.update({ where: { id: c1.id }, data: { referenceChoice: 'A', referenceSource: 'alpaca-eval:test' } });
});

afterAll(async () => world?.close());

/** Whether the document scrolls sideways (a phone user would have to pan). */
const overflowsSideways = () => page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth + 1);

it('explorer -> comparison page -> flag action -> adjudication, each effect seen through the API', async () => {
  const [c0, c1, c2] = campaign.comparisons;
  const cards = page.getByRole('list', { name: 'Comparisons' }).getByRole('article');

  // Explorer: all three, newest activity first; a filter from the form goes into the URL and narrows the list.
  await page.goto(`${world.baseUrl}/campaigns/${campaign.id}`);
  await page.getByRole('link', { name: 'Explore comparisons' }).click();
  await page.getByRole('heading', { name: 'Explore comparisons', level: 1 }).waitFor();
  await expect.poll(() => cards.count()).toBe(3);
  // c1 was flagged just now, c2 was created just now (no judgment yet), c0 was last judged 28 minutes ago.
  expect(await cards.getByRole('heading').allInnerTexts()).toEqual([
    expect.stringContaining(`#${c1!.id}`),
    expect.stringContaining(`#${c2!.id}`),
    expect.stringContaining(`#${c0!.id}`),
  ]);
  await page.getByLabel('Flagged').selectOption('true');
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await expect.poll(() => new URL(page.url()).search).toBe('?flagged=true');
  await expect.poll(() => cards.count()).toBe(1);
  await page.getByLabel('Flagged').selectOption('');
  await page.getByLabel('Order').selectOption('disputed');
  await page.getByLabel('Agreement').selectOption('split');
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await expect.poll(() => new URL(page.url()).search).toBe('?agreement=split&sort=disputed');
  await expect.poll(() => cards.getByRole('heading').allInnerTexts()).toEqual([expect.stringContaining(`#${c0!.id}`)]);
  // Back: the previous filters and their rows come back from the URL.
  await page.goBack();
  await expect.poll(() => cards.count()).toBe(1);
  expect(await page.getByLabel('Flagged').inputValue()).toBe('true');

  // The comparison page: prompt and responses rendered (markdown, sanitised), judgments with side and rationale, the flag.
  await page.getByRole('link', { name: `Comparison #${c1!.id}` }).click();
  await page.getByRole('heading', { name: `Comparison #${c1!.id}`, level: 1 }).waitFor();
  await expect.poll(() => page.getByRole('region', { name: 'A · atlas-70b response' }).innerText()).toContain('2, 3 and 5.');
  await expect.poll(() => page.getByRole('region', { name: 'B · cirrus-7b response' }).innerText()).toContain('cut off mid');
  const judgmentRows = page.getByRole('region', { name: 'Judgments' }).locator('tbody tr');
  expect(await judgmentRows.count()).toBe(3);
  const flagRow = page.getByRole('region', { name: 'Flags' }).locator('tbody tr');
  expect(await flagRow.innerText()).toMatch(/Broken\s+Response B \(cirrus-7b\)\s+Stops mid-sentence\.\s+Rater 2/);

  await page.goto(`${world.baseUrl}/campaigns/${campaign.id}/comparisons/${c0!.id}`);
  await page.getByRole('heading', { name: `Comparison #${c0!.id}`, level: 1 }).waitFor();
  await expect.poll(() => page.getByRole('region', { name: 'A · atlas-70b response' }).locator('em').innerText()).toBe('mirrors facing each other');
  const firstJudgment = await page.getByRole('region', { name: 'Judgments' }).locator('tbody tr').first().innerText();
  expect(firstJudgment).toMatch(/Rater 0\s+A \(atlas-70b\)\s+A \(atlas-70b\)\s+2\s+—\s+The mirror image lands with kids\.\s+41 s\s+v1/);
  expect(await page.getByRole('region', { name: 'Judgments' }).locator('tbody tr').nth(1).innerText()).toMatch(/Rater 1\s+B \(borealis-13b\)\s+B \(borealis-13b\)/);
  expect(await page.getByText('Reference label').locator('..').innerText()).toContain('A (atlas-70b) (alpaca-eval:test)');
  // Prompt view reachable from here.
  await page.getByRole('link', { name: 'All comparisons of this prompt' }).click();
  await page.getByRole('heading', { name: /^Comparisons of prompt #\d+$/, level: 1 }).waitFor();
  await expect.poll(() => cards.count()).toBe(1);

  // Phone: the comparison page and the explorer do not scroll sideways.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${world.baseUrl}/campaigns/${campaign.id}/comparisons/${c1!.id}`);
  await page.getByRole('heading', { name: 'Response A · atlas-70b' }).waitFor();
  await expect.poll(() => page.getByRole('region', { name: 'B · cirrus-7b response' }).innerText()).toContain('cut off mid');
  expect(await overflowsSideways()).toBe(false);
  await page.goto(`${world.baseUrl}/campaigns/${campaign.id}/explorer`);
  await expect.poll(() => cards.count()).toBe(3);
  expect(await overflowsSideways()).toBe(false);
  await page.setViewportSize({ width: 1280, height: 900 });

  // Flag review: mark the flagged response broken, with a reason; its comparison leaves the campaign; then undo it.
  await page.getByRole('navigation', { name: 'Review' }).getByRole('link', { name: 'Flag review' }).click();
  await page.getByRole('heading', { name: 'Flag review', level: 1 }).waitFor();
  const flag = page.getByRole('list', { name: 'Flags, newest first' }).getByRole('article');
  await expect.poll(() => flag.count()).toBe(1);
  expect(await flag.innerText()).toContain('Stops mid-sentence.');
  await page.getByLabel('Reason', { exact: true }).selectOption('HARMFUL');
  await page.getByRole('button', { name: 'Show flags' }).click();
  await page.getByText('No flag matches these filters.').waitFor();
  await page.getByLabel('Reason', { exact: true }).selectOption('BROKEN');
  await page.getByRole('button', { name: 'Show flags' }).click();
  await expect.poll(() => flag.count()).toBe(1);

  await flag.getByRole('button', { name: 'Mark B (cirrus-7b) broken' }).click();
  const dialog = page.getByRole('dialog', { name: 'Mark response B (cirrus-7b) broken' });
  await dialog.getByLabel(/^Reason/).fill('Truncated output from the generation job.');
  await dialog.getByRole('button', { name: 'Mark broken' }).click();
  await page.getByRole('status').filter({ hasText: 'The response B (cirrus-7b) is marked broken.' }).waitFor();
  expect(await comparison(c1!.id)).toMatchObject({ removed: true, b: { broken: true } });
  // Another prompt's response of the same model is not touched.
  expect(await comparison(c2!.id)).toMatchObject({ removed: false });
  const audit = (await api().get(`/api/audit?targetId=${(await comparison(c1!.id)).b.id}`).expect(200)).body;
  expect(audit.items[0]).toMatchObject({ action: expect.stringContaining('broken'), after: expect.objectContaining({ reason: 'Truncated output from the generation job.' }) });
  // The queue shows "open" flags; acted on, it leaves them: look at all to undo.
  await page.getByLabel('State').selectOption('');
  await page.getByRole('button', { name: 'Show flags' }).click();
  await flag.getByRole('button', { name: 'Unmark B as broken' }).click();
  await page.getByRole('dialog', { name: 'Unmark response B (cirrus-7b)' }).getByRole('button', { name: 'Unmark' }).click();
  await page.getByRole('status').filter({ hasText: 'no longer marked broken' }).waitFor();
  expect(await comparison(c1!.id)).toMatchObject({ removed: false, b: { broken: false } });
  await flag.getByRole('button', { name: 'Dismiss' }).click();
  await page.getByRole('dialog', { name: `Dismiss flag` + ' #' + (await comparison(c1!.id)).flags[0].id }).getByRole('button', { name: 'Dismiss flag' }).click();
  await page.getByRole('status').filter({ hasText: 'is dismissed' }).waitFor();
  expect((await comparison(c1!.id)).flags[0].dismissedAt).toEqual(expect.any(String));
  expect((await comparison(c1!.id)).removed).toBe(false);

  // Adjudication: the disputed comparison is first (the unanimous one is not listed); the answer is picked from the keyboard.
  await page.getByRole('navigation', { name: 'Review' }).getByRole('link', { name: 'Adjudication' }).click();
  await page.getByRole('heading', { name: 'Adjudication', level: 1 }).waitFor();
  const queue = page.getByRole('list', { name: 'Disputed comparisons, most disputed first' }).getByRole('article');
  await expect.poll(() => queue.getByRole('heading').allInnerTexts()).toEqual([expect.stringContaining(`#${c0!.id}`)]);
  await queue.getByRole('button', { name: 'Pick the answer…' }).focus();
  await page.keyboard.press('Enter');
  const adjudication = page.getByRole('dialog', { name: `Adjudicate comparison #${c0!.id}` });
  await adjudication.waitFor();
  await adjudication.getByRole('radio', { name: 'B (borealis-13b)' }).focus();
  await page.keyboard.press('Space');
  await page.keyboard.press('Tab');
  await page.keyboard.type('Both fine; B is accurate and plain.');
  await adjudication.getByRole('button', { name: 'Save answer' }).focus();
  await page.keyboard.press('Enter');
  await page.getByRole('status').filter({ hasText: `Comparison #${c0!.id} adjudicated: B (borealis-13b).` }).waitFor();
  expect(await comparison(c0!.id)).toMatchObject({ adjudicated: 'B' });
  const adjudicated = (await api().get(`/api/audit?action=comparison.adjudicate&targetId=${c0!.id}`).expect(200)).body;
  expect(adjudicated.items[0]).toMatchObject({ after: { adjudicated: 'B', note: 'Both fine; B is accurate and plain.' } });

  // Results: the reference card gives the API's figures for the source (c0 has no majority; c1's majority agrees).
  const stats = (await api().get(`/api/campaigns/${campaign.id}/stats`).expect(200)).body;
  expect(stats.reference.sources).toEqual([expect.objectContaining({ source: 'alpaca-eval:test', labelled: 2, compared: 1, agreement: 1 })]);
  await page.getByRole('navigation', { name: 'Review' }).getByRole('link', { name: 'Results' }).click();
  const card = page.getByRole('region', { name: 'Humans against the reference labels' });
  await card.waitFor();
  expect(await card.getByRole('row', { name: /alpaca-eval:test/ }).innerText()).toMatch(/alpaca-eval:test\s+2\s+1\s+100\.0%/);
  const leaderboardRows = await card.getByRole('table').nth(1).locator('tbody tr').allInnerTexts();
  expect(leaderboardRows.map((row) => row.split(/\s/)[0])).toEqual(expect.arrayContaining(['atlas-70b', 'borealis-13b', 'cirrus-7b']));
});
