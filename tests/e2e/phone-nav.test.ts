/// <reference lib="dom" />
// The app's top navigation on a phone (390x844): on every admin page and on a rater's home it stays a compact
// bar (its links in one row that scrolls sideways), not a column of links that pushes the page down; the current
// page is marked, every link is reached by Tab and scrolled into view, and the page itself does not scroll sideways.
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SESSION_COOKIE } from '../../server/plugins/auth';
import { seedCampaign } from '../../testkit/factory';
import { createUser } from '../helpers/app';
import { startRaterWorld, type RaterWorld } from './rater-app';

let world: RaterWorld;
let page: Page;

beforeAll(async () => {
  world = await startRaterWorld();
  page = world.page;
  await page.setViewportSize({ width: 390, height: 844 });
}, 300_000);
afterAll(async () => world?.close());

const signIn = (session: string) => world.browser.context.addCookies([{ name: SESSION_COOKIE, value: session, url: world.baseUrl }]);
const nav = () => page.getByRole('navigation', { name: 'Main' });
/** The header's height, and how far it is wider than the screen. */
const measure = () =>
  page.evaluate(() => {
    const header = document.querySelector('header')!;
    const page = document.documentElement.scrollWidth - document.documentElement.clientWidth;
    return { height: header.getBoundingClientRect().height, overflow: header.scrollWidth - header.clientWidth, page };
  });
/** Whether `link` is seen whole: inside its row (which scrolls) and the screen, and not covered. */
const seen = (link: Locator) =>
  link.evaluate((el) => {
    const [box, row] = [el.getBoundingClientRect(), el.closest('ul')!.getBoundingClientRect()];
    const inside = box.left >= Math.max(row.left, 0) - 0.5 && box.right <= Math.min(row.right, innerWidth) + 0.5;
    return inside && document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2)?.closest('a') === el;
  });

/** Tabs through the bar's links: each one focused comes into view, not left hidden in the scrolled row. */
async function tabThroughLinks(names: string[]) {
  await page.getByRole('link', { name: 'Juxta', exact: true }).focus();
  for (const name of names) {
    await page.keyboard.press('Tab');
    const focused = page.locator(':focus');
    expect(await focused.innerText()).toBe(name);
    await expect.poll(() => seen(focused), { message: name }).toBe(true);
  }
}

it('keeps the admin bar compact on every admin page, the current page marked', async () => {
  await signIn(world.admin.session);
  const pages = [
    ['/', 'Campaigns'],
    ['/endpoints', 'Endpoints'],
    ['/tokens', 'API tokens'],
    ['/users', 'Users'],
    ['/audit', 'Audit'],
  ] as const;
  for (const [path, label] of pages) {
    await page.goto(`${world.baseUrl}${path}`);
    await page.locator('main h1').waitFor();
    // It was a column of five links (223 px of an 844 px screen); two short rows fit in 110.
    const { height, overflow, page: sideways } = await measure();
    expect(height, path).toBeLessThanOrEqual(110);
    expect(overflow, path).toBe(0);
    // Nor does the page under it scroll sideways (the Users page did by 245 px: its invite form and table).
    expect(sideways, path).toBe(0);
    const current = nav().locator('[aria-current="page"]');
    expect(await current.allInnerTexts(), path).toEqual([label]);
    // The current page's link is in view even when it is the last of the row.
    expect(await seen(current), path).toBe(true);
  }
  if (process.env.JUXTA_SCREENSHOTS) await page.screenshot({ path: `${process.env.JUXTA_SCREENSHOTS}/nav-admin-phone.png` });
  await tabThroughLinks(pages.map(([, label]) => label));
});

it("keeps a rater's bar compact with several long campaign names", async () => {
  const names = ['Helpfulness study, spring round', 'Harmlessness red-team review', 'Code review preferences (Python)'];
  const campaigns = [];
  for (const name of names) {
    const prompts = [{ context: [{ role: 'user' as const, content: 'Hi.' }], responses: [{ model: 'm1', content: 'Hello.' }, { model: 'm2', content: 'Hey.' }] }];
    campaigns.push(await seedCampaign(world.testApp.app, { name, status: 'ACTIVE', prompts }));
  }
  const rater = await createUser(world.testApp.app, 'RATER', campaigns.map((c) => c.id));
  await signIn(rater.session);
  await page.goto(world.baseUrl);
  await page.getByRole('heading', { name: 'Your campaigns' }).waitFor();
  await expect.poll(() => nav().getByRole('listitem').count()).toBe(3);
  const { height, overflow } = await measure();
  expect(height).toBeLessThanOrEqual(110);
  expect(overflow).toBe(0);
  await tabThroughLinks(names);
  if (process.env.JUXTA_SCREENSHOTS) await page.screenshot({ path: `${process.env.JUXTA_SCREENSHOTS}/nav-rater-phone.png` });
});
