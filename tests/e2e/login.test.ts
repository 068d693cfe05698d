/// <reference lib="dom" />
// Smoke test through the real UI in Chromium against the real server: accept an invite, land on
// the rater's home, log out, log in again, with focus moved to each new page's heading.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { client, createUser, startTestApp, type TestApp } from '../helpers/app';
import { freePort, launchBrowser, type Browser } from './browser';
import { buildWeb } from './harness-page';

let webDist: string;
let testApp: TestApp;
let browser: Browser;
let page: Page;
let baseUrl: string;

beforeAll(async () => {
  webDist = await mkdtemp(join(tmpdir(), 'juxta-web-'));
  await buildWeb(['index.html'], webDist);
  const port = await freePort();
  baseUrl = `http://127.0.0.1:${port}`;
  testApp = await startTestApp({ env: { WEB_DIST_DIR: webDist, PUBLIC_URL: baseUrl } });
  await testApp.app.listen({ port, host: '127.0.0.1' });
  browser = await launchBrowser();
  page = browser.context.pages()[0] ?? (await browser.context.newPage());
});

afterAll(async () => {
  await browser?.close();
  await testApp?.close();
  await rm(webDist, { recursive: true, force: true });
});

const focusedHeading = () => page.evaluate(() => (document.activeElement?.tagName === 'H1' ? document.activeElement.textContent : null));

it('accepts an invite, logs out and logs in again through the UI', async () => {
  const admin = await createUser(testApp.app, 'ADMIN');
  const email = `rater-${Date.now()}@juxta.test`;
  const invite = await client(testApp.app, admin).post('/api/invites').send({ role: 'RATER', email }).expect(201);
  const password = 'correct horse battery staple';

  await page.goto(invite.body.url);
  await page.getByRole('heading', { name: 'Join Juxta' }).waitFor();
  // The invite's details (its email) arrive after the heading: wait for them rather than look once.
  await page.getByText(email).waitFor();
  await page.getByLabel('Your name').fill('Rita Rater');
  await page.getByLabel('Password').fill(password);
  await page.keyboard.press('Enter');

  await page.getByRole('heading', { name: 'Your campaigns' }).waitFor();
  expect(await focusedHeading()).toBe('Your campaigns');
  expect(await page.getByRole('navigation', { name: 'Main' }).innerText()).toContain('Rita Rater');

  await page.getByRole('button', { name: 'Log out' }).click();
  await page.getByRole('heading', { name: 'Log in to Juxta' }).waitFor();
  expect(await focusedHeading()).toBe('Log in to Juxta');

  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('not the password');
  await page.keyboard.press('Enter');
  const alert = page.getByRole('alert').filter({ hasText: /./ });
  await alert.waitFor();
  expect(await alert.innerText()).not.toBe('');

  await page.getByLabel('Password').fill(password);
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Your campaigns' }).waitFor();
  expect(new URL(page.url()).pathname).toBe('/');
});

it('sends a visitor to the login page and back to where they were going', async () => {
  const admin = await createUser(testApp.app, 'ADMIN');
  const email = `admin-${Date.now()}@juxta.test`;
  const invite = await client(testApp.app, admin).post('/api/invites').send({ role: 'ADMIN', email }).expect(201);
  const password = 'a long enough admin password';
  await client(testApp.app).post(`/api/invites/${invite.body.token}/accept`).send({ name: 'Ada Admin', password }).expect(200);

  await page.context().clearCookies();
  const wanted = '/campaigns/00000000-0000-4000-8000-000000000000';
  await page.goto(`${baseUrl}${wanted}`);
  await page.getByRole('heading', { name: 'Log in to Juxta' }).waitFor();
  expect(new URL(page.url()).searchParams.get('next')).toBe(wanted);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Campaign', exact: true }).waitFor();
  expect(new URL(page.url()).pathname).toBe(wanted);
  // Admins get the admin navigation; a logged-in visit to /login goes home.
  expect(await page.getByRole('navigation', { name: 'Main' }).getByRole('link').allInnerTexts()).toEqual(expect.arrayContaining(['Juxta', 'Campaigns', 'API tokens', 'Users', 'Audit']));
  await page.goto(`${baseUrl}/login`);
  await page.getByRole('heading', { name: 'Campaigns' }).waitFor();
  expect(new URL(page.url()).pathname).toBe('/');
});
