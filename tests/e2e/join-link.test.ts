/// <reference lib="dom" />
// A campaign's join link in Chromium: the admin makes one with a cap of 2 on the Raters tab, two people
// join through it (the first double-clicks the button: one account), the third is told the link has been
// used up and is offered the login page, and the admin sees 2 / 2 used.
import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SESSION_COOKIE } from '../../server/plugins/auth';
import { createCampaign, PASSWORD } from '../helpers/auth';
import { startRaterWorld, type RaterWorld } from './rater-app';

let world: RaterWorld;
let page: Page;

beforeAll(async () => {
  world = await startRaterWorld();
  page = world.page;
  await page.setViewportSize({ width: 1280, height: 900 });
});

afterAll(async () => world?.close());

const asAdmin = () => world.browser.context.addCookies([{ name: SESSION_COOKIE, value: world.admin.session, url: world.baseUrl }]);
const prisma = () => world.testApp.app.ctx.db.prisma;

/** A new person on the join page: name, email, password, then the button (double-clicked when asked). */
async function joinAsNewPerson(url: string, name: string, doubleClick = false): Promise<string> {
  await page.context().clearCookies();
  await page.goto(url);
  await page.getByRole('heading', { name: /^Join Campaign/ }).waitFor();
  const email = `joiner-${randomUUID()}@juxta.test`;
  await page.getByLabel('Your name').fill(name);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  const button = page.getByRole('button', { name: 'Create account and join' });
  if (doubleClick) await button.dblclick();
  else await button.click();
  await page.waitForURL(/\/rate\//);
  return email;
}

it('cap 2: two people join, the third sees that the link has been used up', async () => {
  const campaign = await createCampaign(world.testApp.app);
  await asAdmin();
  await page.goto(`${world.baseUrl}/campaigns/${campaign.id}?tab=raters`);
  const section = page.getByRole('region', { name: 'Join link' });
  await section.getByText('No join link yet.').waitFor();
  await section.getByLabel('People who may join').fill('2');
  await section.getByRole('button', { name: 'Make join link' }).click();
  const url = await page.locator('#join-link-url').inputValue();
  expect(url).toMatch(new RegExp(`^${world.baseUrl}/join/jxj_`));
  expect(await section.getByText('0 / 2').count()).toBe(1);
  // A second link would replace this one: the page says so before it is made.
  await section.getByText('Making a new link replaces the current one').waitFor();
  await section.getByRole('button', { name: 'Replace join link' }).waitFor();

  const first = await joinAsNewPerson(url, 'First Joiner', true);
  expect(new URL(page.url()).pathname).toBe(`/rate/${campaign.id}`);
  expect(await prisma().user.count({ where: { email: first } })).toBe(1);
  await joinAsNewPerson(url, 'Second Joiner');
  expect(await prisma().campaignMember.count({ where: { campaignId: campaign.id } })).toBe(2);

  await page.context().clearCookies();
  await page.goto(url);
  const alert = page.getByRole('alert').filter({ hasText: /this link has been used up/i });
  await alert.waitFor();
  expect(await page.getByLabel('Your name').count()).toBe(0);
  await page.getByRole('link', { name: 'Go to the login page' }).click();
  await page.getByRole('heading', { name: 'Log in to Juxta' }).waitFor();

  await asAdmin();
  await page.goto(`${world.baseUrl}/campaigns/${campaign.id}?tab=raters`);
  await section.getByText('2 / 2').waitFor();
  expect(await section.getByText('Used up', { exact: true }).count()).toBe(1);
  // Its counts are the database's.
  const link = await prisma().campaignJoinLink.findFirstOrThrow({ where: { campaignId: campaign.id } });
  expect([link.uses, link.maxUses]).toEqual([2, 2]);
});
