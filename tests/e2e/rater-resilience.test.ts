/// <reference lib="dom" />
// The rater loop when things go wrong, in Chromium against the real server: a judgment sent while the
// network is down is kept, survives a reload, and is stored exactly once when the network is back; a
// judgment whose lease went to another rater is explained, not silently dropped.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { client, createUser } from '../helpers/app';
import { acceptInvite, nextShown, promptSet, setUpCampaign, startRaterWorld, type RaterWorld } from './rater-app';

let world: RaterWorld;
beforeAll(async () => {
  world = await startRaterWorld();
});
afterAll(async () => world?.close());

/** Accepts an invite to a fresh campaign and shows its first comparison; returns the campaign and that comparison. */
async function startRating(name: string, prompts: number) {
  const { campaignId, inviteUrl } = await setUpCampaign(world, { instructions: 'Pick one.', leaseSeconds: 600 }, promptSet(prompts, ['m1', 'm2']));
  await acceptInvite(world.page, inviteUrl, name);
  await world.page.goto(`${world.baseUrl}/rate/${campaignId}`);
  await world.page.getByRole('button', { name: 'Start rating' }).click();
  const rater = await world.testApp.app.ctx.db.prisma.user.findFirstOrThrow({ where: { name } });
  return { campaignId, raterId: rater.id, shown: await nextShown(world.page, null) };
}

const storedOutbox = (campaignId: string) =>
  world.page.evaluate((key) => JSON.parse(sessionStorage.getItem(key) ?? '[]') as { assignmentId: string; body: { idempotencyKey: string } }[], `juxta:outbox:${campaignId}`);

it('keeps a judgment made offline through a reload and stores it once the network is back', async () => {
  const { page } = world;
  const { campaignId, shown: first } = await startRating('Ola Offline', 5);
  const judgmentUrl = '**/api/assignments/*/judgment';
  await page.route(judgmentUrl, (route) => route.abort('internetdisconnected'));

  await page.keyboard.press('1');
  await page.keyboard.press('Enter');
  const second = await nextShown(page, first); // shown at once, while the answer is still unsent
  await page.getByText(/Offline — retrying/).waitFor();
  const [unsent] = await storedOutbox(campaignId);
  expect(unsent?.assignmentId).toBe(first);

  await page.reload();
  expect(await nextShown(page, null)).toBe(second); // the unsent one is not shown again
  await page.getByText(/Offline — retrying/).waitFor();
  expect((await storedOutbox(campaignId))[0]?.body.idempotencyKey).toBe(unsent?.body.idempotencyKey);

  await page.unroute(judgmentUrl);
  await page.getByText('All answers saved').waitFor({ timeout: 30_000 });
  expect(await storedOutbox(campaignId)).toEqual([]);
  const judgments = await world.testApp.app.ctx.db.prisma.judgment.findMany({ where: { campaignId }, include: { assignment: true } });
  expect(judgments).toHaveLength(1);
  expect(judgments[0]).toMatchObject({ assignmentId: first, idempotencyKey: unsent?.body.idempotencyKey });
  expect(judgments[0]?.choice).toBe(judgments[0]?.assignment.leftIsA ? 'A' : 'B');
  expect(await page.locator('.progress').innerText()).toMatch(/1\s+today/);
});

it('explains a judgment refused because its lease went to another rater', async () => {
  const { page } = world;
  const { campaignId, raterId, shown } = await startRating('Lou Late', 2);
  const { prisma } = world.testApp.app.ctx.db;
  // Both of the rater's leases run out and another rater is given both comparisons.
  await prisma.assignment.updateMany({ where: { campaignId, raterId }, data: { expiresAt: new Date(Date.now() - 1000) } });
  const other = await createUser(world.testApp.app, 'RATER', [campaignId]);
  const taken = await client(world.testApp.app, other).get(`/api/campaigns/${campaignId}/assignments/next`).expect(200);
  expect(taken.body.next).not.toBeNull();

  await page.keyboard.press('2');
  await page.keyboard.press('Enter');
  await nextShown(page, shown);
  const notice = page.getByRole('alert').filter({ hasText: /given to someone else after your lease on it ran out, so your answer was not counted/ });
  await notice.waitFor();
  expect(await prisma.judgment.count({ where: { campaignId, raterId } })).toBe(0);
});
