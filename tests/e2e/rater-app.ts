/// <reference lib="dom" />
// For the rater tests in Chromium: the web app built as it ships, the real server on a fresh database,
// a campaign an admin set up through the API (native JSONL import, invite), and a rater who accepted
// the invite in the browser.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import type { TCreateCampaignRequest } from '../../server/contract/campaign';
import { client, createUser, startTestApp, type TestApp, type TestUser } from '../helpers/app';
import { freePort, launchBrowser, type Browser } from './browser';
import { buildWeb } from './harness-page';

/**
 * Builds web/ as `vite build` does for production. Under vitest NODE_ENV is "test", which makes Vite
 * and Svelte build in development mode (dev-only checks, bigger and slower code).
 */
export async function buildWebForProduction(entries: string[], outDir: string): Promise<void> {
  const before = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await buildWeb(entries, outDir);
  } finally {
    process.env.NODE_ENV = before;
  }
}

export interface RaterWorld {
  testApp: TestApp;
  browser: Browser;
  page: Page;
  baseUrl: string;
  admin: TestUser;
  close(): Promise<void>;
}

/** `env` may depend on the app's address (a service the app talks to that must know it first: an OpenID provider). */
export async function startRaterWorld(env: Record<string, string> | ((baseUrl: string) => Promise<Record<string, string>>) = {}): Promise<RaterWorld> {
  const webDist = await mkdtemp(join(tmpdir(), 'juxta-web-'));
  await buildWebForProduction(['index.html'], webDist);
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const extra = typeof env === 'function' ? await env(baseUrl) : env;
  const testApp = await startTestApp({ env: { WEB_DIST_DIR: webDist, PUBLIC_URL: baseUrl, ...extra } });
  await testApp.app.listen({ port, host: '127.0.0.1' });
  const browser = await launchBrowser();
  const page = browser.context.pages()[0] ?? (await browser.context.newPage());
  const admin = await createUser(testApp.app, 'ADMIN');
  return {
    testApp,
    browser,
    page,
    baseUrl,
    admin,
    async close() {
      await browser.close();
      await testApp.close();
      await rm(webDist, { recursive: true, force: true });
    },
  };
}

/** Native JSONL: `prompts` prompts each answered by every model, with text that tells the sides apart. */
export function promptSet(prompts: number, models: string[]): string {
  return Array.from({ length: prompts }, (_, p) =>
    JSON.stringify({
      id: `p${p}`,
      prompt: `Question ${p}: explain **topic ${p}** briefly.`,
      responses: models.map((model, m) => ({
        model,
        content: `Answer ${m} to question ${p}.\n\n- point one about topic ${p}\n- point two, in \`code\`\n\n${'Some more words to read. '.repeat(6 + m)}`,
      })),
    }),
  ).join('\n');
}

/** An admin's campaign (k = 1) with the prompt set imported, and the URL of a rater invite to it. */
export async function setUpCampaign(
  world: RaterWorld,
  settings: Partial<TCreateCampaignRequest>,
  jsonl: string,
): Promise<{ campaignId: string; comparisons: number; inviteUrl: string }> {
  const api = client(world.testApp.app, world.admin);
  const campaign = await api
    .post('/api/campaigns')
    .send({ name: 'Helpfulness study', votesPerComparison: 1, ...settings })
    .expect(201);
  const campaignId = campaign.body.id as string;
  const imported = await api
    .post(`/api/campaigns/${campaignId}/imports?format=native`)
    .set('content-type', 'application/x-ndjson')
    .serialize((data: unknown) => data as string)
    .send(jsonl)
    .expect(201);
  // New campaigns are drafts: open it to raters as a script would, once the import is in.
  await api.patch(`/api/campaigns/${campaignId}`).send({ status: 'ACTIVE', contentWarningReviewed: true }).expect(200);
  const invite = await api.post('/api/invites').send({ role: 'RATER', campaignId }).expect(201);
  return { campaignId, comparisons: imported.body.comparisons as number, inviteUrl: invite.body.url as string };
}

/** Accepts the invite in the browser with the keyboard and lands on the rater's home. */
export async function acceptInvite(page: Page, inviteUrl: string, name: string): Promise<void> {
  await page.goto(inviteUrl);
  await page.getByRole('heading', { name: 'Join Juxta' }).waitFor();
  await page.getByLabel('Your name').focus();
  await page.keyboard.type(name);
  const email = page.getByLabel('Email');
  if (await email.count()) {
    await page.keyboard.press('Tab');
    await page.keyboard.type(`${name.toLowerCase().replace(/\W+/g, '.')}-${Date.now()}@juxta.test`);
  }
  await page.keyboard.press('Tab');
  await page.keyboard.type('correct horse battery staple');
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Your campaigns' }).waitFor();
}

/** Presses Tab until the focused element is the one `name` labels, then returns; fails after `max` presses. */
export async function tabTo(page: Page, name: string | RegExp, max = 30): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      return el ? (el.getAttribute('aria-label') ?? el.innerText ?? '').trim() : '';
    });
    if (typeof name === 'string' ? focused.startsWith(name) : name.test(focused)) return;
  }
  expect.fail(`Tab never reached "${String(name)}"`);
}

/** The assignment id of the comparison on screen (null when none is shown). */
export const shownAssignment = (page: Page): Promise<string | null> =>
  page.evaluate(() => document.querySelector('[data-assignment-id]')?.getAttribute('data-assignment-id') ?? null);

/** Waits until the comparison on screen is another one than `previous`. */
export async function nextShown(page: Page, previous: string | null): Promise<string> {
  await page.waitForFunction(
    (prev) => {
      const id = document.querySelector('[data-assignment-id]')?.getAttribute('data-assignment-id');
      return id && id !== prev;
    },
    previous,
  );
  return (await shownAssignment(page)) as string;
}
