/// <reference lib="dom" />
// Campaign settings in Chromium against the real server: the task type chosen before the first import (a
// ranking campaign made through the UI, stored by the server, then locked with its reason once a file is in),
// the pairing saved from the Import tab, the in-page "unsaved changes" dialog (labelled, focus kept inside,
// Escape stays), and a comparison's judgments read on a phone without sideways scrolling.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SESSION_COOKIE } from '../../server/plugins/auth';
import { addJudgments, seedCampaign } from '../../testkit/factory';
import { client } from '../helpers/app';
import { promptSet, startRaterWorld, type RaterWorld } from './rater-app';

let world: RaterWorld;
let page: Page;
/** Messages of native dialogs (alert, confirm): none should open. */
const nativeDialogs: string[] = [];

const api = () => client(world.testApp.app, world.admin);
const campaignOf = async (id: string) => (await api().get(`/api/campaigns/${id}`).expect(200)).body;

async function importFile(campaignId: string, jsonl: string) {
  return api()
    .post(`/api/campaigns/${campaignId}/imports?format=native`)
    .set('content-type', 'application/x-ndjson')
    .serialize((data: unknown) => data as string)
    .send(jsonl)
    .expect(201);
}

/** Creates a campaign from the campaign list, as an admin would, and returns its id. */
async function createCampaignInUi(name: string): Promise<string> {
  await page.goto(`${world.baseUrl}/`);
  await page.getByRole('heading', { name: 'Campaigns', level: 1 }).waitFor();
  await page.getByLabel('New campaign name').fill(name);
  await page.getByRole('button', { name: 'New campaign' }).click();
  await page.getByRole('heading', { name, level: 1 }).waitFor();
  return new URL(page.url()).pathname.split('/').pop() as string;
}

beforeAll(async () => {
  world = await startRaterWorld();
  page = world.page;
  page.on('dialog', (dialog) => {
    nativeDialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await world.browser.context.addCookies([{ name: SESSION_COOKIE, value: world.admin.session, url: world.baseUrl }]);
  await page.setViewportSize({ width: 1280, height: 900 });
});

afterAll(async () => world?.close());

it('creates a ranking campaign of K = 5 through the settings, stored by the server, then locked with its reason once a file is in', async () => {
  const campaignId = await createCampaignInUi('Rank five answers');
  await page.getByRole('tab', { name: 'Settings' }).click();
  const taskType = page.getByRole('group', { name: 'Task type' });
  expect(await taskType.getByRole('radio', { name: /^Pairs/ }).isChecked()).toBe(true);
  expect(await page.getByLabel('Responses per ranking task (K)').count()).toBe(0);

  await taskType.getByRole('radio', { name: /^Ranking/ }).check();
  const size = page.getByLabel('Responses per ranking task (K)');
  expect(await size.inputValue()).toBe('4');
  expect([await size.getAttribute('min'), await size.getAttribute('max')]).toEqual(['3', '9']);
  await size.fill('5');
  // The rater preview follows: five cards to rank.
  await expect.poll(() => page.getByRole('combobox', { name: /^Rank of/ }).count()).toBe(5);
  await page.getByRole('button', { name: 'Save settings' }).click();
  await page.getByRole('status').filter({ hasText: 'Settings saved.' }).waitFor();
  expect((await campaignOf(campaignId)).design.task).toEqual({ type: 'ranking', size: 5 });

  // A file with six responses per prompt: ranking tasks of up to five. From then on the type is fixed.
  await importFile(campaignId, promptSet(2, ['m1', 'm2', 'm3', 'm4', 'm5', 'm6']));
  expect((await campaignOf(campaignId)).counts.rankingTasks).toBeGreaterThan(0);
  await page.reload();
  await page.getByRole('group', { name: 'Task type' }).waitFor();
  expect(await taskType.evaluate((group) => (group as HTMLFieldSetElement).disabled)).toBe(true);
  expect(await taskType.getByRole('radio', { name: /^Ranking/ }).isChecked()).toBe(true);
  expect(await taskType.getByRole('radio', { name: /^Ranking/ }).isDisabled()).toBe(true);
  expect(await size.isDisabled()).toBe(true);
  expect(await size.inputValue()).toBe('5');
  const reason = await page.locator(`#${await taskType.getAttribute('aria-describedby')}`).innerText();
  expect(reason).toBe('Fixed once a file was imported: create a new campaign for another task type.');
  // The reason is the server's rule.
  const design = (await campaignOf(campaignId)).design;
  const refused = await api()
    .patch(`/api/campaigns/${campaignId}`)
    .send({ design: { ...design, task: { type: 'pairwise' } } })
    .expect(409);
  expect(refused.body.error.code).toBe('DESIGN_LOCKED');
});

it('saves the pairing chosen on the Import tab before the first import, and the import pairs that way', async () => {
  const campaignId = await createCampaignInUi('Sampled pairs');
  // A new campaign opens on its Import tab.
  const pairing = page.getByLabel('Comparisons to make');
  await pairing.selectOption('sample');
  await expect.poll(async () => (await campaignOf(campaignId)).pairing).toEqual({ kind: 'sample', perPrompt: 2 });
  const perPrompt = page.getByLabel('Pairs per prompt');
  await perPrompt.fill('1');
  await perPrompt.press('Tab');
  await expect.poll(async () => (await campaignOf(campaignId)).pairing).toEqual({ kind: 'sample', perPrompt: 1 });
  // Saved on its own: the settings form has nothing left unsaved.
  await page.getByRole('tab', { name: 'Settings' }).click();
  expect(await page.getByLabel('Pairing of a prompt\'s responses').inputValue()).toBe('sample');
  expect(await page.getByRole('button', { name: 'Save settings' }).isDisabled()).toBe(true);

  const imported = await importFile(campaignId, promptSet(4, ['m1', 'm2', 'm3']));
  expect(imported.body.comparisons).toBe(4); // one pair per prompt, not three

  await page.getByRole('tab', { name: 'Import' }).click();
  await pairing.selectOption('reference');
  await page.getByLabel('Reference model').fill('m1');
  await page.getByLabel('Reference model').press('Tab');
  await expect.poll(async () => (await campaignOf(campaignId)).pairing).toEqual({ kind: 'reference', model: 'm1' });
});

it('asks in an in-page dialog before leaving unsaved settings: labelled, focus kept inside, Escape stays, then leaves', async () => {
  const campaignId = await createCampaignInUi('Unsaved work');
  await page.getByRole('tab', { name: 'Settings' }).click();
  const instructions = page.getByLabel('Instructions for raters');
  await instructions.fill('Prefer the answer that cites its sources.');
  await page.getByRole('status').filter({ hasText: 'Unsaved changes.' }).waitFor();

  const leaveLink = page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Campaigns', exact: true });
  await leaveLink.click();
  const dialog = page.getByRole('dialog', { name: 'Leave without saving?' });
  await dialog.waitFor();
  expect(await dialog.getAttribute('aria-describedby')).toBeTruthy();
  expect(await page.locator(`#${await dialog.getAttribute('aria-describedby')}`).innerText()).toContain('unsaved changes');
  const focused = () => page.evaluate(() => document.activeElement?.textContent?.trim());
  const focusInDialog = () => page.evaluate(() => document.querySelector('dialog[open]')?.contains(document.activeElement) ?? false);
  expect(await focused()).toBe('Cancel'); // the safe choice first
  for (const [key, label] of [
    ['Tab', 'Leave without saving'],
    ['Tab', 'Cancel'],
    ['Shift+Tab', 'Leave without saving'],
    ['Shift+Tab', 'Cancel'],
  ] as const) {
    await page.keyboard.press(key);
    expect(await focused()).toBe(label);
    expect(await focusInDialog()).toBe(true);
  }

  // Escape stays on the page with the edit kept.
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden' });
  expect(new URL(page.url()).pathname).toBe(`/campaigns/${campaignId}`);
  expect(await instructions.inputValue()).toBe('Prefer the answer that cites its sources.');

  // Asked again on the next try; leaving discards the edit.
  await leaveLink.click();
  await dialog.waitFor();
  await dialog.getByRole('button', { name: 'Leave without saving' }).click();
  await page.getByRole('heading', { name: 'Campaigns', level: 1 }).waitFor();
  expect(new URL(page.url()).pathname).toBe('/');
  expect((await campaignOf(campaignId)).instructions).toBe('');
  expect(nativeDialogs).toEqual([]);
});

it("reads a comparison's judgments on a phone without sideways scrolling: one card of labelled lines per judgment", async () => {
  const campaign = await seedCampaign(world.testApp.app, {
    raters: 2,
    design: { criteria: [{ name: 'helpfulness', label: 'Which is more helpful?' }] },
    prompts: [
      {
        context: [{ role: 'user', content: 'Summarise the plot of a long novel in two sentences.' }],
        responses: [
          { model: 'atlas-70b', content: 'A sailor hunts a whale; the whale wins.' },
          { model: 'borealis-13b', content: 'It is about a boat.' },
        ],
      },
    ],
  });
  const [comparison] = campaign.comparisons;
  const [r0, r1] = campaign.raters;
  await addJudgments(world.testApp.app, campaign, [
    {
      comparison: comparison!,
      rater: r0!,
      choice: 'A',
      strength: 2,
      criteria: { helpfulness: { choice: 'A', strength: null } },
      rationale: `The first keeps the ending; ${'the second leaves out everything that matters to the story, '.repeat(4)}`,
      timeMs: 52_000,
    },
    { comparison: comparison!, rater: r1!, choice: 'B', leftIsA: false, timeMs: 9_000 },
  ]);

  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${world.baseUrl}/campaigns/${campaign.id}/comparisons/${comparison!.id}`);
  const judgments = page.getByRole('region', { name: 'Judgments' });
  await expect.poll(() => judgments.locator('tbody tr').count()).toBe(2);

  const widths = await page.evaluate(() => {
    const region = document.querySelector('[role="region"][aria-label="Judgments"]') as HTMLElement;
    return { page: document.documentElement.scrollWidth, viewport: innerWidth, region: region.scrollWidth, regionBox: region.clientWidth };
  });
  expect(widths.page).toBeLessThanOrEqual(widths.viewport);
  expect(widths.region).toBeLessThanOrEqual(widths.regionBox);

  // Each cell is a line of its own, named by its column, one under the other.
  const row = judgments.locator('tbody tr').first();
  const lines = await row.locator('th, td').evaluateAll((cells) =>
    cells.map((cell) => ({ label: getComputedStyle(cell, '::before').content, top: cell.getBoundingClientRect().top })),
  );
  expect(lines.map((line) => line.label)).toEqual(
    ['Rater', 'Shown on the left', 'Choice', 'Strength', 'Criteria', 'Rationale', 'Time taken', 'Guideline', 'When', 'State'].map((label) => `"${label}"`),
  );
  expect(lines.every((line, index) => index === 0 || line.top > lines[index - 1]!.top)).toBe(true);
  expect(await row.innerText()).toContain('everything that matters to the story');

  // On a wide screen it is a table again: a row's cells side by side.
  await page.setViewportSize({ width: 1280, height: 900 });
  const tops = await row.locator('th, td').evaluateAll((cells) => cells.map((cell) => cell.getBoundingClientRect().top));
  expect(new Set(tops).size).toBe(1);
});
