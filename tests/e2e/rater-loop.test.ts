/// <reference lib="dom" />
// The whole rater loop in Chromium against the real server: an admin sets up a campaign through the
// API, a rater accepts the invite, accepts the content warning, reads the instructions and judges 20
// comparisons with the keyboard alone (a flag and an undo among them); the database then holds exactly
// those answers, mapped through each assignment's stored side order to the canonical A/B.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { acceptInvite, nextShown, promptSet, setUpCampaign, shownAssignment, startRaterWorld, tabTo, type RaterWorld } from './rater-app';

let world: RaterWorld;
beforeAll(async () => {
  world = await startRaterWorld();
});
afterAll(async () => world?.close());

type Side = 'left' | 'right' | 'tie';
const KEYS: Record<Side, string[]> = { left: ['1', 'ArrowLeft'], right: ['2', 'ArrowRight'], tie: ['t'] };
const canonical = (side: Side, leftIsA: boolean) => (side === 'tie' ? 'TIE' : (side === 'left') === leftIsA ? 'A' : 'B');

const focusedText = () => world.page.evaluate(() => (document.activeElement as HTMLElement | null)?.innerText.trim() ?? '');

it('a rater judges 20 comparisons with the keyboard only, with a flag and an undo, and the database agrees', async () => {
  const { page } = world;
  const { campaignId, comparisons, inviteUrl } = await setUpCampaign(
    world,
    {
      contentWarning: 'Some responses discuss **self-harm**.',
      instructions: '## How to judge\n\nPrefer the answer that is *correct*, then the one that is clear.',
    },
    promptSet(25, ['model-north', 'model-south']),
  );
  expect(comparisons).toBe(25);

  await acceptInvite(page, inviteUrl, 'Kim Keys');
  await tabTo(page, 'Start rating');
  await page.keyboard.press('Enter');

  await page.getByRole('heading', { name: 'Content warning' }).waitFor();
  expect(await focusedText()).toBe('Content warning');
  expect(await page.locator('.warning').innerText()).toContain('self-harm');
  await tabTo(page, 'I understand');
  await page.keyboard.press('Enter');

  await page.getByRole('heading', { name: 'Helpfulness study: instructions' }).waitFor();
  await page.getByRole('heading', { name: 'How to judge' }).waitFor();
  await tabTo(page, 'Start rating');
  await page.keyboard.press('Enter');

  // One comparison at a time: read which one is shown, answer it, and remember what was pressed.
  const answered = new Map<string, Side>();
  const sides: Side[] = ['left', 'right', 'right', 'tie', 'left'];
  let shown = await nextShown(page, null);
  let flagged: string | null = null;
  let undone: { id: string; first: Side; second: Side } | null = null;
  for (let step = 0; answered.size < 20; step++) {
    if (step === 6 && !flagged) {
      // Flag: F opens the dialog on its first choice; arrows move within a radio group, Tab between fields.
      flagged = shown;
      await page.keyboard.press('f');
      await page.getByRole('dialog', { name: 'Flag a problem' }).waitFor();
      await page.keyboard.press('ArrowDown'); // Harmful -> Broken or empty
      await page.keyboard.press('Tab'); // to "Where?", on its checked radio (Both)
      await page.keyboard.press('ArrowUp'); // Both -> Right response
      await page.keyboard.press('Tab');
      await page.keyboard.type('The right answer is cut off.');
      await tabTo(page, 'Send flag');
      await page.keyboard.press('Enter');
      shown = await nextShown(page, shown);
      continue;
    }
    const side = sides[step % sides.length] as Side;
    const key = KEYS[side][step % KEYS[side].length] as string;
    await page.keyboard.press(key);
    await page.keyboard.press('Enter');
    answered.set(shown, side);
    const judged = shown;
    shown = await nextShown(page, shown);

    if (step === 10 && !undone) {
      // Undo brings the judged comparison back with its answer chosen; answer it differently.
      const before = shown;
      await page.keyboard.press('u');
      expect(await nextShown(page, before)).toBe(judged);
      const first = answered.get(judged) as Side;
      const label = { left: 'Left is better', right: 'Right is better', tie: 'Tie' }[first];
      expect(await page.getByRole('radio', { name: label }).isChecked()).toBe(true);
      const second: Side = first === 'left' ? 'right' : 'left';
      await page.keyboard.press(KEYS[second][0] as string);
      await page.keyboard.press('Enter');
      answered.set(judged, second);
      undone = { id: judged, first, second };
      // The comparison that was on screen before the undo comes back first.
      shown = await nextShown(page, judged);
      expect(shown).toBe(before);
    }
  }
  expect(flagged).not.toBeNull();
  expect(undone).not.toBeNull();

  await page.getByText('All answers saved').waitFor();
  const progress = await page.locator('.progress').innerText();
  expect(progress).toMatch(/20\s+today/);
  // "Left" comes from a per-campaign count the server caches for a few seconds: it may lag behind.
  const left = Number(/(\d+)\s+left/.exec(progress)?.[1]);
  expect(left).toBeGreaterThanOrEqual(comparisons - 20 - 1);
  expect(left).toBeLessThan(comparisons);

  const { prisma } = world.testApp.app.ctx.db;
  const judgments = await prisma.judgment.findMany({ where: { campaignId }, include: { assignment: true }, orderBy: { id: 'asc' } });
  const standing = judgments.filter((judgment) => judgment.undoneAt === null);
  expect(standing).toHaveLength(20);
  expect(new Set(standing.map((judgment) => judgment.assignmentId))).toEqual(new Set(answered.keys()));
  for (const judgment of standing) {
    expect(judgment.choice, judgment.assignmentId).toBe(canonical(answered.get(judgment.assignmentId) as Side, judgment.assignment.leftIsA));
    expect(judgment.timeMs).toBeGreaterThan(0);
  }
  expect(new Set(judgments.map((judgment) => judgment.idempotencyKey)).size).toBe(judgments.length);

  // The undone judgment is kept, marked undone, and replaced by the second answer.
  const taken = judgments.filter((judgment) => judgment.undoneAt !== null);
  expect(taken).toHaveLength(1);
  const [takenBack] = taken;
  expect(takenBack?.assignmentId).toBe(undone?.id);
  expect(takenBack?.choice).toBe(canonical(undone?.first as Side, takenBack?.assignment.leftIsA as boolean));
  const replacement = standing.find((judgment) => judgment.assignmentId === undone?.id);
  expect(replacement?.id).toBeGreaterThan(takenBack?.id as number);
  expect(replacement?.choice).toBe(canonical(undone?.second as Side, replacement?.assignment.leftIsA as boolean));

  // The flag: the reason and note as given, "right" stored as the response that was on the right.
  const flags = await prisma.flag.findMany({ where: { campaignId }, include: { assignment: true } });
  expect(flags).toHaveLength(1);
  expect(flags[0]).toMatchObject({ assignmentId: flagged, reason: 'BROKEN', note: 'The right answer is cut off.' });
  expect(flags[0]?.target).toBe(flags[0]?.assignment.leftIsA ? 'B' : 'A');
  expect(flags[0]?.assignment.status).toBe('FLAGGED');
  expect(await shownAssignment(page)).not.toBeNull();
});
