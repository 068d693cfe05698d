/// <reference lib="dom" />
// What the rater is told, in Chromium against the real server: a flag and an undo are confirmed in a
// live region (the save status says until when the last judgment can be undone); a campaign paused
// mid-session says so on the next submit, and a campaign with no comparisons says "nothing to rate
// yet" instead of "you judged everything". Also the page's polish: no focus box on the heading focused
// at load, a readable Esc label, no CSP violation.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { client, createUser } from '../helpers/app';
import { acceptInvite, nextShown, promptSet, setUpCampaign, startRaterWorld, tabTo, type RaterWorld } from './rater-app';

let world: RaterWorld;
beforeAll(async () => {
  world = await startRaterWorld();
  await world.browser.context.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { cspViolations: string[] }).cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (event) => seen.push(`${event.violatedDirective} ${event.sourceFile}`));
  });
});
afterAll(async () => world?.close());

const said = () => world.page.locator('.said').innerText();
const saveStatus = () => world.page.locator('.save').innerText();

/** A new rater on a new campaign of `prompts` prompts, with its first comparison on screen. */
async function newRaterOnNewCampaign(name: string, prompts: number): Promise<{ campaignId: string; shown: string }> {
  const { campaignId, inviteUrl } = await setUpCampaign(world, { instructions: 'Pick the better one.' }, promptSet(prompts, ['m1', 'm2']));
  await acceptInvite(world.page, inviteUrl, name);
  await startRating(campaignId);
  return { campaignId, shown: await nextShown(world.page, null) };
}

async function startRating(campaignId: string): Promise<void> {
  const { page } = world;
  await page.goto(`${world.baseUrl}/rate/${campaignId}`);
  await page.getByRole('heading', { name: /instructions$/ }).waitFor();
  await tabTo(page, 'Start rating');
  await page.keyboard.press('Enter');
}

it('confirms a flag and an undo, says until when undo is possible, and looks right at load', async () => {
  const { page } = world;
  let { shown } = await newRaterOnNewCampaign('Fay Feedback', 4);

  // The heading has focus (for screen readers) but draws no focus box.
  const heading = await page.evaluate(() => {
    const active = document.activeElement as HTMLElement;
    return { tag: active.tagName, outline: getComputedStyle(active).outlineStyle };
  });
  expect(heading).toEqual({ tag: 'H1', outline: 'none' });

  await page.keyboard.press('f');
  const dialog = page.getByRole('dialog', { name: 'Flag a problem' });
  await dialog.getByRole('button', { name: 'Send flag' }).click();
  shown = await nextShown(page, shown);
  expect(await said()).toContain('Flag sent');

  await page.keyboard.press('2');
  await page.keyboard.press('Enter');
  const judged = shown;
  shown = await nextShown(page, shown);
  await expect.poll(saveStatus).toMatch(/All answers saved; the last can be undone until \d\d:\d\d/);
  await page.keyboard.press('u');
  expect(await nextShown(page, shown)).toBe(judged);
  expect(await said()).toContain('Your last judgment is taken back');
  expect(await saveStatus()).toBe('All answers saved');

  // The instructions dialog's Esc label has the colours of its button, not grey on blue.
  await page.keyboard.press('i');
  const colours = await page.evaluate(() => {
    const kbd = document.querySelector('dialog[open] button.primary kbd') as HTMLElement;
    return [getComputedStyle(kbd).color, getComputedStyle(kbd.parentElement as HTMLElement).color];
  });
  expect(colours[0]).toBe(colours[1]);
  await page.keyboard.press('Escape');

  expect(await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations)).toEqual([]);
});

it('says the campaign is paused on the next submit after an admin pauses it mid-session', async () => {
  const { page } = world;
  const started = await newRaterOnNewCampaign('Pat Paused', 6);
  const { campaignId } = started;
  let { shown } = started;
  await page.keyboard.press('1');
  await page.keyboard.press('Enter');
  shown = await nextShown(page, shown);
  await page.getByText('All answers saved').first().waitFor();

  await client(world.testApp.app, world.admin).patch(`/api/campaigns/${campaignId}`).send({ status: 'PAUSED' }).expect(200);
  // The comparison on screen is still this rater's; the one leased ahead comes next, with the news.
  await page.keyboard.press('2');
  await page.keyboard.press('Enter');
  shown = await nextShown(page, shown);
  await page.getByRole('alert').getByText('This campaign has been paused').waitFor();
  await page.keyboard.press('1');
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Campaign paused' }).waitFor();
  expect(await page.getByText('You have judged everything').count()).toBe(0);

  // Reopened: "Check again" brings the next comparison.
  await client(world.testApp.app, world.admin).patch(`/api/campaigns/${campaignId}`).send({ status: 'ACTIVE' }).expect(200);
  await page.getByRole('button', { name: 'Check again' }).click();
  await nextShown(page, shown);
});

it('says "nothing to rate yet" for a campaign without comparisons, and "judged everything" at the end', async () => {
  const { page } = world;
  const api = client(world.testApp.app, world.admin);
  const { campaignId, inviteUrl } = await setUpCampaign(world, { instructions: 'Pick the better one.' }, promptSet(1, ['m1', 'm2']));
  const empty = (await api.post('/api/campaigns').send({ name: 'Empty study', instructions: 'Soon.' }).expect(201)).body.id as string;
  await acceptInvite(page, inviteUrl, 'Nat Nothing');
  const me = await page.evaluate(() => fetch('/api/me').then((response) => response.json()));
  await api.post(`/api/campaigns/${empty}/members`).send({ userId: me.user.id }).expect((res) => expect(res.status).toBeLessThan(300));

  await startRating(empty);
  await page.getByRole('heading', { name: 'Nothing to rate yet' }).waitFor();

  await startRating(campaignId);
  const shown = await nextShown(page, null);
  await page.keyboard.press('1');
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: /You have judged everything/ }).waitFor();
  expect(shown).not.toBeNull();
});

it('says others hold the remaining pairs, and for about how long, when another rater leased them all', async () => {
  const { page } = world;
  const { campaignId, inviteUrl } = await setUpCampaign(world, { instructions: 'Pick the better one.' }, promptSet(2, ['m1', 'm2']));
  const other = await createUser(world.testApp.app, 'RATER', [campaignId]);
  // The other rater holds both comparisons (the one shown and the one leased ahead); k = 1.
  await client(world.testApp.app, other).get(`/api/campaigns/${campaignId}/assignments/next?prefetch=1`).expect(200);
  await acceptInvite(page, inviteUrl, 'Lea Leased');
  await startRating(campaignId);
  await page.getByRole('heading', { name: 'Others hold the remaining pairs' }).waitFor();
  expect(await page.locator('.done').innerText()).toMatch(/come back in about \d+ minutes?/);
  expect(await page.getByRole('button', { name: 'Check again' }).count()).toBe(1);
});
