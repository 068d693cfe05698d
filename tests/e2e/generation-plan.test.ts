/// <reference lib="dom" />
// The Generate tab says, before a job starts, what it makes for raters: responses and comparisons per prompt by
// the campaign's pairing rule (the server's dry run, the rule its publication applies), and warns when that is
// large. 17 endpoints x 3 samples gave 51 responses a prompt, 1,275 comparisons each under all pairs, unwarned.
import type { Locator } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SESSION_COOKIE } from '../../server/plugins/auth';
import { client } from '../helpers/app';
import { startRaterWorld, type RaterWorld } from './rater-app';

let world: RaterWorld;
beforeAll(async () => {
  world = await startRaterWorld();
});
afterAll(async () => world?.close());

/** The plan's text once it reads as wanted (the dry run waits for the choice to rest). */
const planText = async (plan: Locator, wanted: RegExp) => {
  await expect.poll(() => plan.innerText().catch(() => '')).toMatch(wanted);
  return plan.innerText();
};

it('names the responses and comparisons per prompt with the pairing rule, and warns above 50 comparisons a prompt', async () => {
  const { page, baseUrl } = world;
  const api = client(world.testApp.app, world.admin);
  // Never asked: a dry run sends no request.
  for (let i = 0; i < 17; i++) await api.post('/api/model-endpoints').send({ name: `Policy ${i + 1}`, baseUrl: 'http://127.0.0.1:9/v1', model: 'm' }).expect(201);
  const campaignId = (await api.post('/api/campaigns').send({ name: 'Wide generation', votesPerComparison: 3 }).expect(201)).body.id as string;
  const file = ['One?', 'Two?'].map((prompt, i) => JSON.stringify({ id: `q${i}`, prompt })).join('\n');
  await api.post(`/api/campaigns/${campaignId}/imports?format=native`).set('content-type', 'application/x-ndjson').serialize((data: unknown) => data as string).send(file).expect(201);

  await page.context().addCookies([{ name: SESSION_COOKIE, value: world.admin.session, url: baseUrl }]);
  await page.goto(`${baseUrl}/campaigns/${campaignId}?tab=generate`);
  const plan = page.getByRole('status', { name: 'What this job makes' });
  await page.getByLabel('All 17 endpoints').check();
  await page.getByLabel('Samples per endpoint').fill('3');
  const wide = await planText(plan, /51 responses per prompt/);
  expect(wide).toContain('up to 1,275 comparisons per prompt by the campaign\'s pairing rule, all pairs: 2,550 comparisons for 2 prompts, 7,650 judgments at k = 3.');
  expect(wide).toContain('Large: more than 50 comparisons per prompt, 3,825 judgments for a single prompt.');
  await plan.getByRole('link', { name: 'Settings' }).waitFor();
  if (process.env.JUXTA_SCREENSHOTS) await page.screenshot({ path: `${process.env.JUXTA_SCREENSHOTS}/generation-plan.png`, fullPage: true });

  // Ten endpoints, one sample: 45 pairs a prompt, no warning.
  await page.getByLabel('All 17 endpoints').uncheck();
  for (let i = 0; i < 10; i++) await page.getByRole('checkbox', { name: `Policy ${i + 1} m`, exact: true }).check();
  await page.getByLabel('Samples per endpoint').fill('1');
  expect(await planText(plan, /^10 responses per prompt/)).toContain('up to 45 comparisons per prompt');
  expect(await plan.innerText()).not.toContain('Large');

  // The campaign's rule decides: a sample of 20 pairs keeps 51 responses a prompt at 20 comparisons.
  await api.patch(`/api/campaigns/${campaignId}`).send({ pairing: { kind: 'sample', perPrompt: 20 } }).expect(200);
  await page.reload();
  await page.getByLabel('All 17 endpoints').check();
  await page.getByLabel('Samples per endpoint').fill('3');
  const sampled = await planText(plan, /51 responses per prompt/);
  expect(sampled).toContain('up to 20 comparisons per prompt by the campaign\'s pairing rule, a sample of 20 pairs per prompt: 40 comparisons');
  expect(sampled).not.toContain('Large');

  // What the job would refuse is said before it starts (the per-prompt cap, 200 by default).
  await page.getByLabel('Samples per endpoint').fill('12');
  await page.getByText(/204 responses per prompt \(17 endpoints x 12 samples\) would exceed the limit of 200/).waitFor();
  expect(await plan.count()).toBe(0);
  expect((await api.get(`/api/campaigns/${campaignId}/generation-jobs`).expect(200)).body.jobs).toEqual([]);
});
