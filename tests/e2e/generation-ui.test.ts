/// <reference lib="dom" />
// Generation in Chromium: an admin registers two endpoints (a chat completions server on loopback), tests
// a connection, imports a file of prompts alone, runs a job of two endpoints x 2 samples from the campaign's
// Generate tab and watches it finish; then a rater judges the generated comparisons with the keyboard.
// (Killing and restarting the server mid-job is covered by tests/integration/generation-process.test.ts.)
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startGenerationWorker, type GenerationWorker } from '../../server/services/generation/generation-worker';
import { client } from '../helpers/app';
import { startFakeChatServer, type FakeChatServer } from '../helpers/fake-chat-server';
import { acceptInvite, nextShown, startRaterWorld, tabTo, type RaterWorld } from './rater-app';

let world: RaterWorld;
let fake: FakeChatServer;
let worker: GenerationWorker;
const API_KEY = 'sk-e2e-never-shown-1234567890';

beforeAll(async () => {
  fake = await startFakeChatServer({ slowMs: 100 });
  world = await startRaterWorld({ JUXTA_SECRET_KEY: Buffer.alloc(32, 5).toString('base64'), GENERATION_POLL_MS: '200' });
  worker = startGenerationWorker(world.testApp.app.ctx);
  await world.page.setViewportSize({ width: 1280, height: 1000 });
});

afterAll(async () => {
  await worker?.stop();
  await world?.close();
  await fake?.close();
});

it('registers endpoints, generates 2 x 2 responses per prompt from a prompt-only file, and a rater judges them', async () => {
  const { page, baseUrl, testApp } = world;
  const api = client(testApp.app, world.admin);
  const email = `admin-${randomUUID()}@juxta.test`;
  const password = 'a long enough admin password';
  const invite = await api.post('/api/invites').send({ role: 'ADMIN', email }).expect(201);
  await client(testApp.app).post(`/api/invites/${invite.body.token}/accept`).send({ name: 'Gen Admin', password }).expect(200);
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Campaigns' }).waitFor();

  // Endpoints page: register two, the first with a key that is shown only as "set".
  await page.getByRole('link', { name: 'Endpoints' }).click();
  await page.getByRole('heading', { name: 'Model endpoints' }).waitFor();
  for (const [name, model, key] of [
    ['North policy', 'echo', API_KEY],
    ['South policy', 'slow', ''],
  ] as const) {
    await page.getByLabel('Name', { exact: true }).fill(name);
    await page.getByLabel('Base URL').fill(fake.url);
    await page.getByLabel('Model id').fill(model);
    await page.getByLabel('API key (optional)').fill(key);
    await page.getByRole('button', { name: 'Register endpoint' }).click();
    await page.getByRole('cell', { name, exact: true }).waitFor();
  }
  const north = page.getByRole('row', { name: /North policy/ });
  expect(await north.innerText()).toContain('set');
  expect(await page.content()).not.toContain(API_KEY);
  await page.getByRole('button', { name: 'Test connection of North policy' }).click();
  await north.getByText(/OK in \d+ ms/).waitFor();
  expect(fake.received.at(-1)!.authorization).toBe(`Bearer ${API_KEY}`);

  // A campaign with a file of prompts alone: they await responses.
  const campaignId = (await api.post('/api/campaigns').send({ name: 'Generated study', votesPerComparison: 1 }).expect(201)).body.id as string;
  await page.goto(`${baseUrl}/campaigns/${campaignId}?tab=import`);
  const file = ['Name a prime number.', 'Why is the sky blue?', 'Write a haiku about rain.'].map((prompt, i) => JSON.stringify({ id: `g${i}`, prompt })).join('\n');
  await page.getByLabel('File', { exact: true }).setInputFiles({ name: 'prompts.jsonl', mimeType: 'application/x-ndjson', buffer: Buffer.from(file) });
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await page.getByText('Imported 3 records').waitFor();
  await expect.poll(() => page.getByLabel('Campaign counts').innerText()).toContain('Awaiting responses\n3');

  // The Generate tab: both endpoints, 2 samples each, then watch the job to the end.
  await page.getByRole('tab', { name: 'Generate' }).click();
  await page.getByLabel(/North policy/).check();
  await page.getByLabel(/South policy/).check();
  await page.getByLabel('Samples per endpoint').fill('2');
  await page.getByRole('button', { name: 'Generate 12 responses' }).click();
  const job = page.getByRole('article', { name: /Generation job North policy, South policy/ });
  await job.waitFor();
  const bar = job.getByRole('progressbar', { name: 'Requests' });
  await expect.poll(() => bar.getAttribute('value'), { timeout: 60_000 }).toBe('12');
  await job.getByText('12 done · 0 failed · 12 total').waitFor();
  await job.getByText('done', { exact: true }).waitFor();
  if (process.env.JUXTA_SCREENSHOTS) await page.screenshot({ path: `${process.env.JUXTA_SCREENSHOTS}/generation-job.png`, fullPage: true });
  expect(await job.innerText()).toMatch(/Prompts published\s+3 of 3/);
  await expect.poll(() => page.getByLabel('Campaign counts').innerText(), { timeout: 10_000 }).toContain('Comparisons\n18');

  // A rater judges the generated comparisons; nothing on screen names an endpoint.
  await api.patch(`/api/campaigns/${campaignId}`).send({ status: 'ACTIVE', contentWarningReviewed: true }).expect(200);
  const raterInvite = (await api.post('/api/invites').send({ role: 'RATER', campaignId }).expect(201)).body.url as string;
  await page.context().clearCookies();
  await acceptInvite(page, raterInvite, 'Gen Rater');
  await tabTo(page, 'Start rating');
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Generated study: instructions' }).waitFor();
  await tabTo(page, 'Start rating');
  await page.keyboard.press('Enter');
  let shown = await nextShown(page, null);
  for (let i = 0; i < 5; i++) {
    const text = await page.locator('main').innerText();
    expect(text).toContain('Answer');
    expect(text).not.toMatch(/North policy|South policy|echo|slow/);
    await page.keyboard.press(i % 2 ? '1' : '2');
    await page.keyboard.press('Enter');
    shown = await nextShown(page, shown);
  }
  await page.getByText('All answers saved').waitFor();
  const judgments = await testApp.app.ctx.db.prisma.judgment.count({ where: { campaignId } });
  expect(judgments).toBe(5);
});
