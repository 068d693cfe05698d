/// <reference lib="dom" />
// Password reset by email through the real UI in Chromium, the real server and a real SMTP server started
// here: "Forgot your password?" on the login page, the link followed from the received message, a new
// password, logged in; then the old password fails and the new one works. And changing it on "Your account".
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app';
import { createUserWithPassword, PASSWORD } from '../helpers/auth';
import { startMailbox, type Mailbox } from '../helpers/mailbox';
import { freePort, launchBrowser, type Browser } from './browser';
import { buildWeb } from './harness-page';

let webDist: string;
let testApp: TestApp;
let mailbox: Mailbox;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  webDist = await mkdtemp(join(tmpdir(), 'juxta-web-'));
  await buildWeb(['index.html'], webDist);
  mailbox = await startMailbox();
  const port = await freePort();
  testApp = await startTestApp({ env: { WEB_DIST_DIR: webDist, PUBLIC_URL: `http://127.0.0.1:${port}`, SMTP_URL: mailbox.url } });
  await testApp.app.listen({ port, host: '127.0.0.1' });
  browser = await launchBrowser();
  page = browser.context.pages()[0] ?? (await browser.context.newPage());
});

afterAll(async () => {
  await browser?.close();
  await testApp?.close();
  await mailbox?.close();
  await rm(webDist, { recursive: true, force: true });
});

async function logIn(email: string, password: string) {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.keyboard.press('Enter');
}

it('resets a forgotten password with the link from the email, then logs in with the new one', async () => {
  const person = await createUserWithPassword(testApp.app);
  const newPassword = 'my brand new long password';
  await page.goto(`${testApp.app.ctx.config.publicUrl}/login`);
  await page.getByRole('link', { name: 'Forgot your password?' }).click();
  await page.getByRole('heading', { name: 'Set a new password' }).waitFor();
  await page.getByLabel('Email').fill(person.email);
  await page.getByRole('button', { name: 'Send me a link' }).click();
  await page.getByRole('status').filter({ hasText: 'If an account has this email' }).waitFor();

  const message = await mailbox.nextTo(person.email);
  const link = message.text.match(/http:\/\/127\.0\.0\.1:\d+\/reset\/\S+/)?.[0];
  expect(link).toBeTruthy();
  await page.goto(link!);
  await page.getByText(person.email).waitFor();
  await page.getByLabel('New password').fill(newPassword);
  await page.getByRole('button', { name: 'Set password and log in' }).click();
  await page.getByRole('heading', { name: 'Your campaigns' }).waitFor();

  await page.getByRole('button', { name: 'Log out' }).click();
  await page.getByRole('heading', { name: 'Log in to Juxta' }).waitFor();
  await logIn(person.email, PASSWORD);
  await page.getByRole('alert').filter({ hasText: /./ }).waitFor();
  await logIn(person.email, newPassword);
  await page.getByRole('heading', { name: 'Your campaigns' }).waitFor();

  // The link worked once.
  await page.goto(link!);
  await page.getByRole('alert').filter({ hasText: 'already used' }).waitFor();
});

it('changes the password on "Your account" and lists this session', async () => {
  const person = await createUserWithPassword(testApp.app);
  await page.context().clearCookies();
  await page.goto(`${testApp.app.ctx.config.publicUrl}/login`);
  await logIn(person.email, PASSWORD);
  await page.getByRole('heading', { name: 'Your campaigns' }).waitFor();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Test rater' }).click();
  await page.getByRole('heading', { name: 'Your account' }).waitFor();
  await page.getByText('(this one)').waitFor();
  await page.getByLabel('Current password').fill(PASSWORD);
  await page.getByLabel('New password').fill('another long new password');
  await page.getByRole('button', { name: 'Change password' }).click();
  await page.getByText('Password changed; 0 other sessions ended.').waitFor();
});
