/// <reference lib="dom" />
// The Generate tab with many endpoints and many failures, in Chromium against the real server and its generation
// worker: one box chooses every endpoint, a job of five names its first three, and a job whose endpoint refuses
// every request (a 400) lists its failures by the prompts' own ids and says how many of them it shows.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SESSION_COOKIE } from '../../server/plugins/auth';
import { startGenerationWorker, type GenerationWorker } from '../../server/services/generation/generation-worker';
import { startFakeChatServer, type FakeChatServer } from '../../testkit/fake-chat-server';
import { client } from '../helpers/app';
import { startRaterWorld, type RaterWorld } from './rater-app';

let world: RaterWorld;
let fake: FakeChatServer;
let worker: GenerationWorker;
beforeAll(async () => {
  fake = await startFakeChatServer();
  world = await startRaterWorld({ GENERATION_POLL_MS: '50', GENERATION_RETRY_BASE_MS: '20' });
  worker = startGenerationWorker(world.testApp.app.ctx);
});
afterAll(async () => {
  await worker?.stop();
  await world?.close();
  await fake?.close();
});

it('chooses every endpoint with one box, names a big job short, and lists failures by the prompts own ids', async () => {
  const { page, baseUrl } = world;
  const api = client(world.testApp.app, world.admin);
  const names = ['Refuser', 'Echo one', 'Echo two', 'Echo three', 'Echo four'];
  for (const [i, name] of names.entries()) {
    await api.post('/api/model-endpoints').send({ name, baseUrl: fake.url, model: i === 0 ? 'reject' : 'echo' }).expect(201);
  }
  const campaignId = (await api.post('/api/campaigns').send({ name: 'Failing generation', votesPerComparison: 1 }).expect(201)).body.id as string;
  const file = Array.from({ length: 60 }, (_, i) => JSON.stringify({ id: `question-${i}`, prompt: `Question ${i}?` })).join('\n');
  await api.post(`/api/campaigns/${campaignId}/imports?format=native`).set('content-type', 'application/x-ndjson').serialize((data: unknown) => data as string).send(file).expect(201);

  await page.context().addCookies([{ name: SESSION_COOKIE, value: world.admin.session, url: baseUrl }]);
  await page.goto(`${baseUrl}/campaigns/${campaignId}?tab=generate`);
  await page.getByLabel('All 5 endpoints').check();
  for (const name of names) expect(await page.getByRole('checkbox', { name }).isChecked()).toBe(true);
  await page.getByRole('button', { name: 'Generate 300 responses' }).click();

  // Three names (in the endpoints' order), then the count of the others.
  const job = page.getByRole('article', { name: /^Generation job [\w ]+, [\w ]+, [\w ]+ and 2 more$/ });
  if (process.env.JUXTA_SCREENSHOTS) await page.screenshot({ path: `${process.env.JUXTA_SCREENSHOTS}/generation-failures.png`, fullPage: true });
  await job.getByText('240 done · 60 failed · 300 total').waitFor({ timeout: 60_000 });
  await job.getByText('60 failed requests').click();
  await job.getByText('The first 50 are listed; “Retry failed” retries all 60.').waitFor();
  const failures = await job.getByRole('listitem').allInnerTexts();
  expect(failures).toHaveLength(50);
  expect(failures[0]).toMatch(/^Refuser, prompt question-\d+, sample 1 \(1 attempt\): 400 /);

  // The job finished with failures, and every prompt has its four echoes: all are published.
  await job.getByText('Finished with 60 of 300 requests failed.', { exact: true }).waitFor();

  // A job whose one working endpoint gives each prompt a single response publishes none, and says why.
  const lonely = (await api.post('/api/campaigns').send({ name: 'One answer each', votesPerComparison: 1 }).expect(201)).body.id as string;
  const three = Array.from({ length: 3 }, (_, i) => JSON.stringify({ id: `lonely-${i}`, prompt: `Alone ${i}?` })).join('\n');
  await api.post(`/api/campaigns/${lonely}/imports?format=native`).set('content-type', 'application/x-ndjson').serialize((data: unknown) => data as string).send(three).expect(201);
  const { endpoints } = (await api.get('/api/model-endpoints').expect(200)).body as { endpoints: { id: string; name: string }[] };
  const endpointIds = endpoints.filter((e) => e.name === 'Refuser' || e.name === 'Echo one').map((e) => e.id);
  expect(endpointIds).toHaveLength(2);
  await api.post(`/api/campaigns/${lonely}/generation-jobs`).send({ endpointIds }).expect(201);
  await page.goto(`${baseUrl}/campaigns/${lonely}?tab=generate`);
  await page
    .getByText('3 of 3 prompts were not published: a prompt reaches raters once it has at least two responses to compare.', { exact: false })
    .waitFor({ timeout: 60_000 });
  expect(await page.getByText('Finished with 3 of 6 requests failed.').count()).toBe(1);
  if (process.env.JUXTA_SCREENSHOTS) await page.screenshot({ path: `${process.env.JUXTA_SCREENSHOTS}/generation-unpublished.png`, fullPage: true });
});
