/// <reference lib="dom" />
// Bulk invites in Chromium against the real server: an admin pastes three people (one bad line) on a
// campaign's Raters tab, reads the refused line by its number, copies all the links (and, where the page may
// not use the clipboard, finds them selected to copy by hand) and downloads the CSV; an invitee opens their
// link (their name filled in), creates an account and lands in the campaign as a rater; the used link then
// says so and leads to the login page. The other invite is revoked from the Users page, and its link says so.
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SESSION_COOKIE } from '../../server/plugins/auth';
import { hashSecret } from '../../server/services/auth/secrets';
import { promptSet, setUpCampaign, startRaterWorld, type RaterWorld } from './rater-app';

let world: RaterWorld;
let page: Page;
let campaignId: string;
const tag = randomUUID().slice(0, 8);
const ann = `ann-${tag}@juxta.test`;
const bo = `bo-${tag}@juxta.test`;
/** The links the page showed, by email. */
const links = new Map<string, string>();

beforeAll(async () => {
  world = await startRaterWorld();
  page = world.page;
  ({ campaignId } = await setUpCampaign(world, { name: 'Bulk study' }, promptSet(2, ['model-a', 'model-b'])));
}, 180_000);

afterAll(async () => world?.close());

const asAdmin = () => world.browser.context.addCookies([{ name: SESSION_COOKIE, value: world.admin.session, url: world.baseUrl }]);

it('pastes a list with a bad line, shows that line by number and a link for each other person', async () => {
  await asAdmin();
  await page.goto(`${world.baseUrl}/campaigns/${campaignId}?tab=raters`);
  await page.getByRole('heading', { name: 'Invite a list of raters' }).waitFor();
  await page.getByLabel('Emails', { exact: true }).fill(`email,name\n${ann},Ann Example\nnot-an-email\n${bo},"Stone, Bo"\n`);
  await page.getByText('3 people (header row skipped)').waitFor();
  await page.getByRole('button', { name: 'Create links for 3 people' }).click();

  await page.getByRole('alert').filter({ hasText: '1 line was not invited' }).getByText('line 3: "not-an-email" is not an email address').waitFor();
  const table = page.getByRole('region', { name: 'Invite links' });
  await table.getByRole('row', { name: new RegExp(bo) }).waitFor();
  const rows = await table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent?.trim() ?? '')));
  expect(rows.map(([line, email, name]) => [line, email, name])).toEqual([
    ['2', ann, 'Ann Example'],
    ['4', bo, 'Stone, Bo'],
  ]);
  for (const [, email, , url] of rows) links.set(email!, url!);
  for (const url of links.values()) expect(url).toMatch(new RegExp(`^${world.baseUrl}/invite/jxi_`));
  // Stored with the names (the tokens only as hashes), and the list box is emptied: a second click has nothing to send.
  for (const [email, name] of [[ann, 'Ann Example'], [bo, 'Stone, Bo']] as const) {
    const token = links.get(email)!.split('/').pop()!;
    const row = await world.testApp.app.ctx.db.prisma.invite.findUniqueOrThrow({ where: { tokenHash: hashSecret(token) } });
    expect(row).toMatchObject({ email, name, campaignId, role: 'RATER', createdById: world.admin.id });
  }
  expect(await page.getByLabel('Emails', { exact: true }).inputValue()).toBe('');
  expect(await page.getByRole('button', { name: 'Create links' }).isDisabled()).toBe(true);

  // The campaign's pending invites list them.
  const pending = page.getByRole('region', { name: 'Invites', exact: true });
  for (const email of [ann, bo]) await pending.getByRole('row', { name: new RegExp(email) }).waitFor();
});

it('copies all the links to the clipboard, or selects them to copy by hand where the clipboard is refused', async () => {
  const expected = [`${ann}\t${links.get(ann)}`, `${bo}\t${links.get(bo)}`].join('\n');
  await world.browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: world.baseUrl });
  await page.getByRole('button', { name: 'Copy all' }).click();
  await page.getByRole('status').filter({ hasText: 'Copied 2 links.' }).waitFor();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(expected);

  // As over plain http on a LAN: no navigator.clipboard, and the old copy command refused too.
  await page.evaluate(() => {
    Object.defineProperty(navigator, 'clipboard', { value: undefined, configurable: true });
    document.execCommand = () => false;
  });
  await page.getByRole('button', { name: 'Copy all' }).click();
  const box = page.getByLabel('All links (email, then link)');
  await box.waitFor();
  await page.getByRole('status').filter({ hasText: 'press Ctrl+C' }).waitFor();
  expect(await box.inputValue()).toBe(expected);
  const selection = await box.evaluate((area: HTMLTextAreaElement) => ({
    focused: document.activeElement === area,
    selected: area.value.slice(area.selectionStart, area.selectionEnd),
  }));
  expect(selection).toEqual({ focused: true, selected: expected });
});

it('downloads the links as CSV: email,name,link,expires', async () => {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download CSV' }).click()]);
  expect(download.suggestedFilename()).toBe('invites-bulk-study.csv');
  const text = await readFile((await download.path())!, 'utf8');
  expect(text.startsWith('\uFEFF')).toBe(true);
  const lines = text.slice(1).trimEnd().split('\r\n');
  expect(lines[0]).toBe('email,name,link,expires');
  const invites = await world.testApp.app.ctx.db.prisma.invite.findMany({ where: { campaignId, email: { in: [ann, bo] } } });
  const expires = new Map(invites.map((i) => [i.email, i.expiresAt.toISOString()]));
  expect(lines.slice(1)).toEqual([`${ann},Ann Example,${links.get(ann)},${expires.get(ann)}`, `${bo},"Stone, Bo",${links.get(bo)},${expires.get(bo)}`]);
});

it('lets an invitee open their link, create an account with their name filled in and land in the campaign as a rater', async () => {
  await world.browser.context.clearCookies();
  await page.goto(links.get(ann)!);
  await page.getByRole('heading', { name: 'Join Juxta' }).waitFor();
  await page.getByText('You are invited to rate Bulk study').waitFor();
  expect(await page.getByLabel('Your name').inputValue()).toBe('Ann Example');
  await page.getByLabel('Password').fill('a long enough rater password');
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByRole('heading', { name: 'Your campaigns' }).waitFor();
  await page.getByRole('link', { name: 'Start rating' }).click();
  await page.getByRole('heading', { name: 'Bulk study: instructions' }).waitFor();

  const user = await world.testApp.app.ctx.db.prisma.user.findUniqueOrThrow({ where: { email: ann }, include: { memberships: true } });
  expect(user).toMatchObject({ name: 'Ann Example', role: 'RATER' });
  expect(user.memberships.map((m) => m.campaignId)).toEqual([campaignId]);
  expect(await world.testApp.app.ctx.db.prisma.auditEvent.count({ where: { action: 'invite.accept', actor: user.id, campaignId } })).toBe(1);
});

it('says plainly that the used link was used, and leads to the login page', async () => {
  await world.browser.context.clearCookies();
  await page.goto(links.get(ann)!);
  await page.getByRole('heading', { name: 'This invite link was already used' }).waitFor();
  await page.getByRole('alert').filter({ hasText: 'already used' }).waitFor();
  await page.getByRole('link', { name: 'Go to the login page' }).click();
  await page.getByRole('heading', { name: 'Log in to Juxta' }).waitFor();
});

it("revokes the other invite from the Users page; its link then says it was withdrawn", async () => {
  await asAdmin();
  await page.goto(`${world.baseUrl}/users`);
  const pending = page.getByRole('region', { name: 'Invites', exact: true });
  const row = pending.getByRole('row', { name: new RegExp(bo) });
  await row.waitFor();
  expect(await row.getByRole('cell').nth(1).textContent()).toBe('Bulk study');
  expect(await pending.getByRole('row', { name: new RegExp(ann) }).count()).toBe(0); // used: not pending
  await row.getByRole('button', { name: `Revoke the invite for ${bo}` }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Revoke' }).click();
  await row.waitFor({ state: 'detached' });
  const revoked = await world.testApp.app.ctx.db.prisma.invite.findFirstOrThrow({ where: { email: bo, campaignId } });
  expect(revoked.revokedAt).not.toBeNull();

  await world.browser.context.clearCookies();
  await page.goto(links.get(bo)!);
  await page.getByRole('heading', { name: 'This invite link was withdrawn' }).waitFor();
  await page.getByRole('link', { name: 'Go to the login page' }).waitFor();
});
