/// <reference lib="dom" />
// Generation in Chromium, the whole path against the real server as a process: an admin registers
// two endpoints (a chat completions server on loopback), tests a connection, imports a file of prompts
// alone, runs a job of two endpoints x 2 samples from the campaign's Generate tab and watches it progress;
// the server is killed (SIGKILL) mid-job and started again on the same database and port; the job finishes
// every item once, and a rater judges the generated comparisons with the keyboard, blind to the endpoints.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startFakeChatServer, type FakeChatServer } from '../../testkit/fake-chat-server';
import { loginCookie, startServerProcess, stopServerProcess, type ServerProcess } from '../helpers/server-process';
import { createTestDatabase, type TestDatabase } from '../helpers/test-db';
import { launchBrowser, type Browser } from './browser';
import { acceptInvite, buildWebForProduction, nextShown, tabTo } from './rater-app';

const API_KEY = 'sk-e2e-never-shown-1234567890';
const ADMIN = { email: 'gen-e2e-admin@juxta.test', password: 'a long enough admin password' };

let fake: FakeChatServer;
let database: TestDatabase;
let webDist: string;
let browser: Browser;
let page: Page;
let server: ServerProcess | null = null;
const logs: string[] = [];

/** The server on the test's database; `port` to come back where the browser left it. */
async function start(port?: number): Promise<ServerProcess> {
  return startServerProcess(
    {
      ...database.env,
      WEB_DIST_DIR: webDist,
      JUXTA_SECRET_KEY: Buffer.alloc(32, 5).toString('base64'),
      JUXTA_ADMIN_EMAIL: ADMIN.email,
      JUXTA_ADMIN_PASSWORD: ADMIN.password,
      GENERATION_POLL_MS: '200',
      // A request in flight at the kill is sent again once its lease lapses.
      GENERATION_LEASE_SECONDS: '3',
    },
    { port, allLogs: logs },
  );
}

async function api<T = Record<string, unknown>>(method: string, route: string, body?: unknown): Promise<T> {
  const cookie = await loginCookie(server!, ADMIN);
  const res = await fetch(`${server!.url}${route}`, {
    method,
    headers: { cookie, origin: server!.url, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${route}: ${res.status} ${text}`);
  return JSON.parse(text) as T;
}

beforeAll(async () => {
  // Slow answers and one request at a time per endpoint: the job is still running when the server is killed.
  fake = await startFakeChatServer({ slowMs: 1500 });
  database = await createTestDatabase();
  webDist = await mkdtemp(join(tmpdir(), 'juxta-web-'));
  await buildWebForProduction(['index.html'], webDist);
  server = await start();
  browser = await launchBrowser();
  page = browser.context.pages()[0] ?? (await browser.context.newPage());
  await page.setViewportSize({ width: 1280, height: 1000 });
}, 300_000);

afterAll(async () => {
  await browser?.close();
  if (server) await stopServerProcess(server);
  await fake?.close();
  await database?.drop();
  await rm(webDist, { recursive: true, force: true });
  // The key was in no log line of either server process.
  expect(logs.join('')).not.toContain(API_KEY);
}, 300_000);

it('registers endpoints, generates 2 x 2 responses per prompt from a prompt-only file through a server crash, and a rater judges them', async () => {
  const baseUrl = server!.url;
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('Email').fill(ADMIN.email);
  await page.getByLabel('Password').fill(ADMIN.password);
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Campaigns' }).waitFor();

  // Endpoints page: register two, the first with a key that is shown only as "set"; one request at a time each.
  await page.getByRole('link', { name: 'Endpoints' }).click();
  await page.getByRole('heading', { name: 'Model endpoints' }).waitFor();
  for (const [name, key] of [
    ['North policy', API_KEY],
    ['South policy', ''],
  ] as const) {
    await page.getByLabel('Name', { exact: true }).fill(name);
    await page.getByLabel('Base URL').fill(fake.url);
    await page.getByLabel('Model id').fill('slow');
    await page.getByLabel('API key (optional)').fill(key);
    await page.getByLabel('Requests at once').fill('1');
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
  const campaignId = (await api<{ id: string }>('POST', '/api/campaigns', { name: 'Generated study', votesPerComparison: 1 })).id;
  await page.goto(`${baseUrl}/campaigns/${campaignId}?tab=import`);
  const file = ['Name a prime number.', 'Why is the sky blue?', 'Write a haiku about rain.'].map((prompt, i) => JSON.stringify({ id: `g${i}`, prompt })).join('\n');
  await page.getByLabel('File', { exact: true }).setInputFiles({ name: 'prompts.jsonl', mimeType: 'application/x-ndjson', buffer: Buffer.from(file) });
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await page.getByText('Imported 3 records').waitFor();
  await expect.poll(() => page.getByLabel('Campaign counts').innerText()).toContain('Awaiting responses\n3');

  // The Generate tab: both endpoints, 2 samples each; watch the bar move.
  await page.getByRole('tab', { name: 'Generate' }).click();
  await page.getByLabel(/North policy/).check();
  await page.getByLabel(/South policy/).check();
  await page.getByLabel('Samples per endpoint').fill('2');
  const sentBefore = fake.received.length;
  await page.getByRole('button', { name: 'Generate 12 responses' }).click();
  const job = page.getByRole('article', { name: /Generation job North policy, South policy/ });
  await job.waitFor();
  const bar = job.getByRole('progressbar', { name: 'Requests' });
  await expect.poll(async () => Number(await bar.getAttribute('value')), { timeout: 60_000 }).toBeGreaterThanOrEqual(1);

  // Kill the server mid-job (no graceful stop: requests in flight are lost with it) once two items are stored.
  const { jobs } = await api<{ jobs: { id: string }[] }>('GET', `/api/campaigns/${campaignId}/generation-jobs`);
  const jobId = jobs[0]!.id;
  await expect.poll(async () => (await api<{ done: number }>('GET', `/api/generation-jobs/${jobId}`)).done, { timeout: 60_000, interval: 100 }).toBeGreaterThanOrEqual(2);
  const port = server!.port;
  await stopServerProcess(server!, 'SIGKILL');
  server = null;
  // Mid-way: both endpoints send one request at a time, 1.5 s each; most items were never sent.
  const sentAtKill = fake.received.length - sentBefore;
  expect(sentAtKill).toBeGreaterThanOrEqual(2);
  expect(sentAtKill).toBeLessThan(12);

  // Start it again on the same database and port: the browser's session is still valid, the job resumes.
  server = await start(port);
  await page.reload();
  const resumed = page.getByRole('article', { name: /Generation job North policy, South policy/ });
  await expect.poll(async () => Number(await resumed.getByRole('progressbar', { name: 'Requests' }).getAttribute('value')), { timeout: 90_000 }).toBe(12);
  await resumed.getByText('12 done · 0 failed · 12 total').waitFor();
  await resumed.getByText('done', { exact: true }).waitFor();
  if (process.env.JUXTA_SCREENSHOTS) await page.screenshot({ path: `${process.env.JUXTA_SCREENSHOTS}/generation-job.png`, fullPage: true });
  expect(await resumed.innerText()).toMatch(/Prompts published\s+3 of 3/);
  await expect.poll(() => page.getByLabel('Campaign counts').innerText(), { timeout: 10_000 }).toContain('Comparisons\n18');
  // Each item stored once: 12 responses, 4 per prompt, whatever was re-sent after the kill.
  const status = await api<{ status: string; done: number; failed: number; total: number }>('GET', `/api/generation-jobs/${jobId}`);
  expect(status).toMatchObject({ status: 'DONE', done: 12, failed: 0, total: 12 });
  expect((await api<{ counts: Record<string, number> }>('GET', `/api/campaigns/${campaignId}`)).counts).toMatchObject({ responses: 12, comparisons: 18 });
  expect(fake.received.length - sentBefore).toBeGreaterThanOrEqual(12);

  // A rater judges the generated comparisons; nothing on screen names an endpoint.
  await api('PATCH', `/api/campaigns/${campaignId}`, { status: 'ACTIVE', contentWarningReviewed: true });
  const raterInvite = (await api<{ url: string }>('POST', '/api/invites', { role: 'RATER', campaignId })).url;
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
    expect(text).not.toMatch(/North policy|South policy|slow/);
    await page.keyboard.press(i % 2 ? '1' : '2');
    await page.keyboard.press('Enter');
    shown = await nextShown(page, shown);
  }
  await page.getByText('All answers saved').waitFor();
  expect((await api<{ counts: { judgments: number } }>('GET', `/api/campaigns/${campaignId}`)).counts.judgments).toBe(5);
}, 300_000);
