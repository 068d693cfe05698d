/// <reference lib="dom" />
// A self-hosted server opened over plain http on a network name (not localhost, which browsers treat
// as secure): Chromium maps juxta.test to 127.0.0.1, so the page is a non-secure context exactly as
// on an office LAN. The app must render (no https upgrade of its scripts), import a file (no
// crypto.randomUUID there) and copy an invite link (no navigator.clipboard there), with no CSP report
// and no console warning about a header only secure origins honour.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { client, createUser, startTestApp, type TestApp } from '../helpers/app';
import { freePort, launchBrowser, type Browser } from './browser';
import { buildWebForProduction, promptSet } from './rater-app';

let webDist: string;
let testApp: TestApp;
let browser: Browser;
let page: Page;
let baseUrl: string;
/** Files (not API calls, whose 401 and 404 answers are expected) the browser failed to get, a missing favicon included. */
const failed: string[] = [];
/** The browser's console lines: headers it ignores on a non-secure origin (COOP, Origin-Agent-Cluster) show up here. */
const consoleLines: string[] = [];

/** In the page, before any script: every CSP violation and every copy event's copied text. */
function recordViolationsAndCopies(): void {
  const seen = { violations: [] as string[], copied: [] as string[] };
  (window as unknown as { lanProbe: typeof seen }).lanProbe = seen;
  document.addEventListener('securitypolicyviolation', (event) => seen.violations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}:${event.columnNumber} ${location.pathname}`));
  document.addEventListener('copy', (event) => {
    const field = event.target instanceof HTMLTextAreaElement || event.target instanceof HTMLInputElement ? event.target : null;
    seen.copied.push(field ? field.value.slice(field.selectionStart ?? 0, field.selectionEnd ?? 0) : String(document.getSelection()));
  });
}
const probe = () => page.evaluate(() => (window as unknown as { lanProbe: { violations: string[]; copied: string[] } }).lanProbe);

beforeAll(async () => {
  webDist = await mkdtemp(join(tmpdir(), 'juxta-web-'));
  await buildWebForProduction(['index.html'], webDist);
  const port = await freePort();
  baseUrl = `http://juxta.test:${port}`;
  testApp = await startTestApp({ env: { WEB_DIST_DIR: webDist, PUBLIC_URL: baseUrl } });
  await testApp.app.listen({ port, host: '127.0.0.1' });
  browser = await launchBrowser({ args: ['--host-resolver-rules=MAP juxta.test 127.0.0.1'] });
  page = browser.context.pages()[0] ?? (await browser.context.newPage());
  page.on('console', (message) => consoleLines.push(message.text()));
  page.on('requestfailed', (request) => failed.push(`${request.url()} ${request.failure()?.errorText}`));
  page.on('response', (response) => {
    if (response.status() >= 400 && !new URL(response.url()).pathname.startsWith('/api/')) failed.push(`${response.url()} ${response.status()}`);
  });
  await browser.context.addInitScript(recordViolationsAndCopies);
});

afterAll(async () => {
  await browser?.close();
  await testApp?.close();
  if (webDist) await rm(webDist, { recursive: true, force: true });
});

it('renders, imports a file and copies an invite link over plain http on a network name', async () => {
  const admin = await createUser(testApp.app, 'ADMIN');
  const email = `lan-admin-${randomUUID()}@juxta.test`;
  const password = 'a long enough admin password';
  const invite = await client(testApp.app, admin).post('/api/invites').send({ role: 'ADMIN', email }).expect(201);
  await client(testApp.app).post(`/api/invites/${invite.body.token}/accept`).send({ name: 'Lan Admin', password }).expect(200);

  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('Email').fill(email);
  // The page rendered: its scripts and styles were fetched over http, not upgraded to https.
  expect(await page.evaluate(() => [window.isSecureContext, typeof crypto.randomUUID, typeof navigator.clipboard])).toEqual([
    false,
    'undefined',
    'undefined',
  ]);
  await page.getByLabel('Password').fill(password);
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Campaigns' }).waitFor();

  const campaign = await client(testApp.app, admin).post('/api/campaigns').send({ name: 'Office LAN study' }).expect(201);
  await page.goto(`${baseUrl}/campaigns/${campaign.body.id}?tab=import`);
  await page.getByLabel('File', { exact: true }).setInputFiles({
    name: 'lan.jsonl',
    mimeType: 'application/x-ndjson',
    buffer: Buffer.from(promptSet(3, ['model-a', 'model-b'])),
  });
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await page.getByText('Imported 3 records').waitFor();

  await page.goto(`${baseUrl}/campaigns/${campaign.body.id}?tab=raters`);
  await page.getByRole('button', { name: 'Create invite link' }).click();
  const url = await page.getByLabel('Invite link', { exact: true }).inputValue();
  expect(url).toMatch(new RegExp(`^${baseUrl}/invite/`));
  await page.getByRole('button', { name: 'Copy invite link' }).click();
  await page.getByRole('button', { name: 'Copied ✓' }).waitFor();
  expect((await probe()).copied).toEqual([url]);

  expect((await probe()).violations).toEqual([]);
  // No header sent that only a secure origin honours: Chromium logs each one ignored, on every page.
  expect(consoleLines.filter((line) => /Cross-Origin-Opener-Policy|Origin-Agent-Cluster/i.test(line))).toEqual([]);
  expect(failed).toEqual([]);
  // The favicon is there (a 404 for it is noise in every log and devtools console).
  expect(await page.evaluate(() => fetch('/favicon.svg').then((response) => response.status))).toBe(200);
});
