/// <reference lib="dom" />
// Single sign-on in Chromium against a real OpenID provider in-process: the login page's "Sign in with
// <name>" button, the provider's login form, the way back to /login, and the invited rater's home; and a
// refusal (no invite) shown on the login page.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestIdp, type TestIdp } from '../../testkit/oidc-provider';
import { client, type TestApp } from '../helpers/app';
import { createCampaign } from '../helpers/auth';
import { startRaterWorld, type RaterWorld } from './rater-app';

let idp: TestIdp | undefined;
let world: RaterWorld;
let testApp: TestApp;
let page: Page;
let baseUrl: string;

beforeAll(async () => {
  // The provider must know the app's redirect URI, and the app the provider's issuer.
  world = await startRaterWorld(async (appUrl) => {
    idp = await startTestIdp({ redirectUri: `${appUrl}/login` });
    return { OIDC_ISSUER_URL: idp.issuer, OIDC_CLIENT_ID: idp.clientId, OIDC_CLIENT_SECRET: idp.clientSecret, OIDC_DISPLAY_NAME: 'Test IdP' };
  });
  ({ testApp, page, baseUrl } = world);
});

afterAll(async () => {
  await world?.close();
  await idp?.close();
});

/** From the login page through the provider's form, as a person would. */
async function signInThroughProvider(email: string): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.getByRole('button', { name: 'Sign in with Test IdP' }).click();
  await page.getByRole('heading', { name: 'Test provider sign-in' }).waitFor();
  expect(new URL(page.url()).origin).toBe(idp!.issuer);
  await page.getByLabel('Email').fill(email);
  await page.getByRole('button', { name: 'Continue' }).click();
}

it('signs an invited rater in through the provider and lands on their campaigns', async () => {
    const campaign = await createCampaign(testApp.app);
  const email = `sso-rater-${Date.now()}@juxta.test`;
  await client(testApp.app, world.admin).post('/api/invites').send({ role: 'RATER', email, campaignId: campaign.id }).expect(201);
  idp!.addAccount({ email, name: 'Sam Single' });

  await signInThroughProvider(email);
  await page.getByRole('heading', { name: 'Your campaigns' }).waitFor();
  expect(new URL(page.url()).pathname).toBe('/');
  expect(await page.getByRole('navigation', { name: 'Main' }).innerText()).toContain('Sam Single');
  expect(await page.getByText(campaign.name).count()).toBeGreaterThan(0);
  const user = await testApp.app.ctx.db.prisma.user.findUniqueOrThrow({ where: { email } });
  const actions = await testApp.app.ctx.db.prisma.auditEvent.findMany({ where: { targetId: user.id }, orderBy: { id: 'asc' }, select: { action: true } });
  expect(actions.map((a) => a.action)).toEqual(['user.create', 'auth.sso-sign-in']);
});

it('shows the refusal on the login page when the email has no account or invite', async () => {
  await page.context().clearCookies();
  const email = `sso-stranger-${Date.now()}@juxta.test`;
  idp!.addAccount({ email });
  await signInThroughProvider(email);
  await page.getByRole('heading', { name: 'Log in to Juxta' }).waitFor();
  const alert = page.getByRole('alert').filter({ hasText: /invite/ });
  await alert.waitFor();
  expect(await alert.innerText()).toContain(email);
  expect(await testApp.app.ctx.db.prisma.user.count({ where: { email } })).toBe(0);
  // The button is offered again, to start over.
  await page.getByRole('button', { name: 'Sign in with Test IdP' }).waitFor();
});
