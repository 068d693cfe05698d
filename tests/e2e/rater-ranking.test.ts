/// <reference lib="dom" />
// Issue 17's rater "done when", in Chromium against the real server: a rater ranks 10 tasks of 4 cards with
// the keyboard only (ties with =, Backspace taking back placements, "all bad", an undo of a judgment, a look
// at two cards side by side); the database then holds exactly those rankings, mapped through each
// assignment's stored card order to the task's slots. Then one task by drag and drop, one on a phone
// with the rank selects and one on a phone by touch drags, and a design with criteria (one ranking each) and a flag. Model names never
// reach the page.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SESSION_COOKIE } from '../../server/plugins/auth';
import { client, createUser } from '../helpers/app';
import { acceptInvite, nextShown, promptSet, setUpCampaign, shownAssignment, startRaterWorld, tabTo, type RaterWorld } from './rater-app';

let world: RaterWorld;
beforeAll(async () => {
  world = await startRaterWorld();
});
afterAll(async () => world?.close());

const MODELS = ['model-alpha', 'model-bravo', 'model-charlie', 'model-delta'];
/** Reply m's text starts "Answer m to question p." (promptSet). */
const replyOf = (text: string) => Number(/Answer (\d) to question/.exec(text)?.[1]);

/** A ranking in reply numbers (groups best first), and how the rater gives it. */
interface Plan {
  ranking: number[][];
  allBad?: boolean;
  /** Place a wrong card first and take it back with Backspace (and a `=` taken back too). */
  takeBack?: boolean;
  /** Submit, undo the judgment with U, clear it with Backspace and give `then` instead. */
  thenUndo?: number[][];
  /** Open the compare-two view on cards 1 and 2 first. */
  compare?: boolean;
}

const PLANS: Plan[] = [
  { ranking: [[2], [0], [3], [1]], compare: true },
  { ranking: [[1, 3], [0], [2]] },
  { ranking: [[0], [1], [2, 3]] },
  { ranking: [[3], [2], [1], [0]], takeBack: true },
  { ranking: [[0, 1, 2, 3]], allBad: true }, // "all bad" alone: every card tied
  { ranking: [[0], [1], [2], [3]], allBad: true }, // "all bad" with an order
  { ranking: [[2, 0, 1, 3]] },
  { ranking: [[0], [1], [2], [3]], thenUndo: [[3], [2], [1], [0]] },
  { ranking: [[1], [2], [0], [3]] },
  { ranking: [[3], [0, 1], [2]] },
];

/** The reply on each card, in the order shown (card 1 first); waits for the ranking screen. */
async function cardReplies(page: Page): Promise<number[]> {
  await page.locator('[data-card]').first().waitFor();
  const texts = await page.locator('[data-card] .body').allInnerTexts();
  return texts.map(replyOf);
}

/** Presses the cards of `ranking` best to worst, `=` before each card tied with the one before. */
async function pressRanking(page: Page, ranking: number[][], cards: number[]): Promise<void> {
  for (const group of ranking) {
    for (const [position, reply] of group.entries()) {
      if (position > 0) await page.keyboard.press('=');
      await page.keyboard.press(String(cards.indexOf(reply) + 1));
    }
  }
}

it('a rater ranks 10 tasks with the keyboard only (ties, take-backs, all bad, an undo) and the database agrees', async () => {
  const { page } = world;
  const { campaignId, comparisons, inviteUrl } = await setUpCampaign(
    world,
    {
      instructions: 'Rank the answers from best to worst.',
      design: { task: { type: 'ranking', size: 4 }, scale: { allowTie: true, allowBothBad: true, strengthLevels: [] } },
    },
    promptSet(13, MODELS),
  );
  expect(comparisons).toBe(13);

  await acceptInvite(page, inviteUrl, 'Rita Ranks');
  await tabTo(page, 'Start rating');
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Helpfulness study: instructions' }).waitFor();
  await tabTo(page, 'Start rating');
  await page.keyboard.press('Enter');

  const given = new Map<string, Plan>();
  let shown = await nextShown(page, null);
  for (const plan of PLANS) {
    const cards = await cardReplies(page);
    expect([...cards].sort()).toEqual([0, 1, 2, 3]);
    const html = await page.content();
    for (const model of MODELS) expect(html).not.toContain(model);

    if (plan.compare) {
      await page.keyboard.press('v');
      await page.keyboard.press('1');
      await page.keyboard.press('2');
      await page.getByRole('heading', { name: 'Card 1' }).waitFor();
      await page.getByRole('heading', { name: 'Card 2' }).waitFor();
      // Both texts differ by their reply number: the diff marks them.
      await page.locator('mark').first().waitFor();
      await page.keyboard.press('v');
      await page.locator('[data-card]').first().waitFor();
    }
    if (plan.takeBack) {
      const wrong = plan.ranking.at(-1)?.[0] as number;
      await page.keyboard.press(String(cards.indexOf(wrong) + 1));
      await page.locator('[data-card] .badge').first().waitFor();
      await page.keyboard.press('Backspace');
      // Nothing is placed now: = has nothing to tie with, and Backspace nothing to take back.
      await page.keyboard.press('=');
      await page.getByText('Place a card first').waitFor();
      await page.keyboard.press('Backspace');
      expect(await page.locator('[data-card] .badge').count()).toBe(0);
    }
    if (plan.allBad) await page.keyboard.press('b');
    if (!(plan.allBad && plan.ranking.length === 1)) await pressRanking(page, plan.ranking, cards);
    if (!plan.allBad || plan.ranking.length > 1) expect(await page.locator('[data-card] .badge').count()).toBe(4);
    await page.keyboard.press('Enter');
    given.set(shown, plan);
    const judged = shown;
    shown = await nextShown(page, shown);

    if (plan.thenUndo) {
      // Undo brings the task back with its ranking placed; Backspace takes the cards back one by one.
      const before = shown;
      await page.keyboard.press('u');
      expect(await nextShown(page, before)).toBe(judged);
      const again = await page.locator('[data-card] .toggle').allInnerTexts();
      expect(again.filter((text) => /\d(st|nd|rd|th)/.test(text))).toHaveLength(4);
      for (let i = 0; i < 4; i++) await page.keyboard.press('Backspace');
      expect(await page.locator('[data-card] .badge').count()).toBe(0);
      await pressRanking(page, plan.thenUndo, await cardReplies(page));
      await page.keyboard.press('Enter');
      shown = await nextShown(page, judged);
      expect(shown).toBe(before);
    }
  }
  await page.getByText('All answers saved').waitFor();

  const { prisma } = world.testApp.app.ctx.db;
  const judgments = await prisma.judgment.findMany({ where: { campaignId }, include: { assignment: true, comparison: true }, orderBy: { id: 'asc' } });
  const standing = judgments.filter((judgment) => judgment.undoneAt === null);
  expect(standing).toHaveLength(10);
  expect(new Set(standing.map((judgment) => judgment.assignmentId))).toEqual(new Set(given.keys()));
  const replyOfSlot = async (slots: number[]) => {
    const responses = await prisma.response.findMany({ where: { id: { in: slots } } });
    return slots.map((id) => replyOf(responses.find((response) => response.id === id)?.content ?? ''));
  };
  const inSlots = (ranking: number[][], replies: number[]) => ranking.map((group) => group.map((reply) => replies.indexOf(reply)).sort());
  for (const judgment of judgments) {
    const plan = given.get(judgment.assignmentId) as Plan;
    const replies = await replyOfSlot(judgment.comparison.slots);
    const expected = judgment.undoneAt === null ? (plan.thenUndo ?? plan.ranking) : plan.ranking;
    expect(judgment.ranking, judgment.assignmentId).toEqual(inSlots(expected, replies));
    expect(judgment.allBad).toBe(Boolean(plan.allBad));
    expect(judgment.timeMs).toBeGreaterThan(0);
  }
  // The undone judgment is kept, marked undone, and replaced by the second ranking.
  const undone = judgments.filter((judgment) => judgment.undoneAt !== null);
  expect(undone.map((judgment) => given.get(judgment.assignmentId)?.thenUndo)).toEqual([PLANS[7]?.thenUndo]);
});

it('ranks a task by drag and drop, and one on a phone with the rank selects', async () => {
  const { page } = world;
  const { prisma } = world.testApp.app.ctx.db;
  let shown = (await shownAssignment(page)) as string;
  let cards = await cardReplies(page);
  // Drag: card of reply 1 to the first place, reply 3 tied with it, reply 0 below, reply 2 at the end.
  const cardHead = (reply: number) => page.locator(`[data-card="${cards.indexOf(reply) + 1}"] .card-head`);
  await cardHead(1).dragTo(page.locator('.gap.end'));
  await cardHead(3).dragTo(page.locator('.group').first());
  await cardHead(0).dragTo(page.locator('.gap.end'));
  await cardHead(2).dragTo(page.locator('.gap.end'));
  expect(await page.locator('[data-card] .badge').allInnerTexts()).toHaveLength(4);
  await page.getByRole('button', { name: /^Submit/ }).click();
  const dragged = shown;
  shown = await nextShown(page, shown);
  const stored = async (assignmentId: string) => {
    const judgment = await prisma.judgment.findFirstOrThrow({ where: { assignmentId }, include: { comparison: true } });
    const responses = await prisma.response.findMany({ where: { id: { in: judgment.comparison.slots } } });
    const replies = judgment.comparison.slots.map((id) => replyOf(responses.find((r) => r.id === id)?.content ?? ''));
    return (judgment.ranking as number[][]).map((group) => group.map((slot) => replies[slot]).sort());
  };
  await page.getByText('All answers saved').waitFor();
  expect(await stored(dragged)).toEqual([[1, 3], [0], [2]]);

  // A phone: the cards stacked above the rail, nothing wider than the screen, the selects rank.
  await page.setViewportSize({ width: 390, height: 844 });
  cards = await cardReplies(page);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  const order = [2, 0, 3, 1];
  for (const [index, reply] of order.entries()) {
    await page.getByLabel(`Rank of Card ${cards.indexOf(reply) + 1}`).selectOption(String(index + 1));
  }
  // Submit from the keyboard, as a screen reader user does: the focus lands on the heading, not on the page's top.
  await page.getByRole('button', { name: /^Submit/ }).focus();
  await page.keyboard.press('Space');
  await nextShown(page, shown);
  await expect.poll(() => page.evaluate(() => `${document.activeElement?.tagName} ${document.activeElement?.textContent}`)).toBe('H1 Helpfulness study');
  await page.getByText('All answers saved').waitFor();
  expect(await stored(shown)).toEqual([[2], [0], [3], [1]]);
});

it('ranks a task on a phone by dragging with a finger (grips and chips)', async () => {
  const { page } = world;
  const { prisma } = world.testApp.app.ctx.db;
  await page.setViewportSize({ width: 390, height: 844 });
  const shown = (await shownAssignment(page)) as string;
  const cards = await cardReplies(page);
  // A finger, as Chromium gets it from a touch screen: touch events with touch emulation on.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Emulation.setTouchEmulationEnabled', { enabled: true, maxTouchPoints: 1 });
  const centre = async (selector: string) => {
    await page.locator(selector).first().scrollIntoViewIfNeeded();
    const box = await page.locator(selector).first().boundingBox();
    if (!box) throw new Error(`${selector} is not on the screen`);
    return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
  };
  const swipe = async (from: string, to: string) => {
    const start = await centre(from);
    const end = await centre(to);
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [start] });
    for (let step = 1; step <= 8; step += 1) {
      const at = { x: start.x + ((end.x - start.x) * step) / 8, y: start.y + ((end.y - start.y) * step) / 8 };
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [at] });
    }
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  };
  const grip = (reply: number) => `[data-card="${cards.indexOf(reply) + 1}"] .grip`;
  const chip = (where: string, reply: number) => `${where} .chip:text-is("${cards.indexOf(reply) + 1}")`;
  // Reply 3 first and reply 0 tied with it, by their cards' grips; reply 1 next, then its chip back to the
  // tray; reply 2 next, and reply 1 from the tray last.
  await swipe(grip(3), '.gap.end');
  await swipe(grip(0), '.group');
  await swipe(grip(1), '.gap.end');
  await swipe(chip('.groups', 1), '.tray');
  await page.locator(chip('.tray', 1)).waitFor();
  await swipe(grip(2), '.gap.end');
  await swipe(chip('.tray', 1), '.gap.end');
  await page.locator('.tray').waitFor({ state: 'detached' });
  expect(await page.locator('[data-card] .badge').allInnerTexts()).toHaveLength(4);
  // A drag let go away from every place changes nothing.
  await swipe(grip(1), `[data-card="${cards.indexOf(3) + 1}"] .toggle`);
  expect(await page.locator('[data-card] .badge').allInnerTexts()).toHaveLength(4);
  await cdp.send('Emulation.setTouchEmulationEnabled', { enabled: false });
  await page.getByRole('button', { name: /^Submit/ }).click();
  await page.getByText('All answers saved').waitFor();
  const judgment = await prisma.judgment.findFirstOrThrow({ where: { assignmentId: shown }, include: { comparison: true } });
  const responses = await prisma.response.findMany({ where: { id: { in: judgment.comparison.slots } } });
  const replies = judgment.comparison.slots.map((id) => replyOf(responses.find((r) => r.id === id)?.content ?? ''));
  expect((judgment.ranking as number[][]).map((group) => group.map((slot) => replies[slot]).sort())).toEqual([[0, 3], [2], [1]]);
});

/** Rita (the rater of the first test) joins a new ranking campaign and starts it; returns its id, the rater's id and the task shown. */
async function rateNewCampaign(name: string, design: NonNullable<Parameters<typeof setUpCampaign>[1]['design']>, jsonl: string) {
  const { page, baseUrl } = world;
  const { campaignId } = await setUpCampaign(world, { name, instructions: 'Rank them.', design }, jsonl);
  const rater = await world.testApp.app.ctx.db.prisma.user.findFirstOrThrow({ where: { name: 'Rita Ranks' } });
  await client(world.testApp.app, world.admin).post(`/api/campaigns/${campaignId}/members`).send({ userId: rater.id }).expect((res) => expect(res.status).toBeLessThan(300));
  await page.goto(`${baseUrl}/rate/${campaignId}`);
  await page.getByRole('heading', { name: `${name}: instructions` }).waitFor();
  await page.getByRole('button', { name: 'Start rating' }).click();
  return { campaignId, raterId: rater.id, shown: await nextShown(page, null) };
}

it('ranks nine long cards on a phone: the placed ones fold and the ranking stays short, so Submit stays in view', async () => {
  const { page } = world;
  const { prisma } = world.testApp.app.ctx.db;
  await page.setViewportSize({ width: 390, height: 844 });
  const nine = Array.from({ length: 9 }, (_, m) => `model-${m}`);
  const long = (m: number) => `Answer ${m} to question 0.\n\n${'A long paragraph to read. '.repeat(60)}\n\n\`\`\`python\nprint(${m})\n\`\`\`\n`;
  const jsonl = JSON.stringify({ id: 'long', prompt: 'Explain at length.', responses: nine.map((model, m) => ({ model, content: long(m) })) });
  const { shown } = await rateNewCampaign('Nine cards', { task: { type: 'ranking', size: 9 }, scale: { allowTie: true, allowBothBad: false, strengthLevels: [] } }, jsonl);
  const cards = await cardReplies(page);
  // A finger has no number keys: the button opens two cards side by side at once, the selects change them.
  await page.getByRole('button', { name: /^Compare two/ }).click();
  await page.getByRole('heading', { name: 'Card 1' }).waitFor();
  await page.getByLabel('Second card to compare').selectOption({ label: 'Card 9' });
  await page.getByRole('heading', { name: 'Card 9' }).waitFor();
  await page.getByRole('button', { name: /^All cards/ }).click();
  await page.locator('[data-card]').first().waitFor();
  const order = [8, 7, 6, 5, 4, 3, 2, 1, 0];
  for (const reply of order) await page.keyboard.press(String(cards.indexOf(reply) + 1));
  expect(await page.locator('[data-card] .badge').count()).toBe(9);
  const submit = page.getByRole('button', { name: /^Submit/ });
  const box = await submit.boundingBox();
  expect(box, 'Submit is laid out').not.toBeNull();
  expect(box!.y + box!.height, 'Submit is within the screen without scrolling the rail').toBeLessThanOrEqual(844);
  const rail = await page.getByRole('list', { name: 'Your ranking so far' }).boundingBox();
  expect(rail!.height, 'nine places take a few lines, not nine').toBeLessThan(150);
  await submit.click();
  await expect.poll(() => prisma.judgment.count({ where: { assignmentId: shown } })).toBe(1);
  const judgment = await prisma.judgment.findFirstOrThrow({ where: { assignmentId: shown }, include: { comparison: true } });
  const responses = await prisma.response.findMany({ where: { id: { in: judgment.comparison.slots } } });
  const replies = judgment.comparison.slots.map((id) => replyOf(responses.find((r) => r.id === id)?.content ?? ''));
  expect((judgment.ranking as number[][]).map((group) => group.map((slot) => replies[slot]))).toEqual(order.map((reply) => [reply]));
});

it('keeps Submit in view on a desktop with nine cards and three criteria while the first ranking fills up', async () => {
  const { page } = world;
  await page.setViewportSize({ width: 1280, height: 900 });
  const nine = Array.from({ length: 9 }, (_, m) => ({ model: `model-${m}`, content: `Answer ${m} to question 0.\n\n${'Words to read. '.repeat(80)}` }));
  const criteria = ['helpfulness', 'honesty', 'harmlessness'].map((name) => ({ name, label: name[0]!.toUpperCase() + name.slice(1) }));
  await rateNewCampaign(
    'Nine with a rubric',
    { task: { type: 'ranking', size: 9 }, criteria, scale: { allowTie: true, allowBothBad: true, strengthLevels: [] } },
    JSON.stringify({ id: 'rubric', prompt: 'Explain.', responses: nine }),
  );
  for (const key of ['9', '8', '7', '6', '5', '4', '3', '2']) await page.keyboard.press(key);
  expect(await page.locator('[data-card] .badge').count()).toBe(8);
  const box = await page.getByRole('button', { name: /^Submit/ }).boundingBox();
  expect(box!.y + box!.height, 'Submit is within the screen without scrolling the side column').toBeLessThanOrEqual(900);
});

it('explains a ranking refused because its lease went to another rater, and stores nothing for it', async () => {
  const { page } = world;
  const { prisma } = world.testApp.app.ctx.db;
  await page.setViewportSize({ width: 1280, height: 800 });
  const { campaignId, raterId } = await rateNewCampaign(
    'Late ranking',
    { task: { type: 'ranking', size: 3 }, scale: { allowTie: true, allowBothBad: false, strengthLevels: [] } },
    promptSet(2, MODELS.slice(0, 3)),
  );
  // The tab stays open past both leases, and another rater is given both tasks.
  await prisma.assignment.updateMany({ where: { campaignId, raterId }, data: { expiresAt: new Date(Date.now() - 1000) } });
  const other = await createUser(world.testApp.app, 'RATER', [campaignId]);
  expect((await client(world.testApp.app, other).get(`/api/campaigns/${campaignId}/assignments/next`).expect(200)).body.next).not.toBeNull();
  await pressRanking(page, [[0], [1], [2]], await cardReplies(page));
  await page.keyboard.press('Enter');
  await page
    .getByRole('alert')
    .filter({ hasText: 'The last ranking was given to someone else after your lease on it ran out, so your answer was not counted.' })
    .waitFor();
  expect(await prisma.judgment.count({ where: { campaignId, raterId } })).toBe(0);
});

it('gives one ranking per criterion with the keys alone, and flags a ranking task as a whole', async () => {
  const { page, baseUrl } = world;
  const { prisma } = world.testApp.app.ctx.db;
  await page.setViewportSize({ width: 1280, height: 800 });
  const criteria = [
    { name: 'helpfulness', label: 'Helpfulness' },
    { name: 'harmlessness', label: 'Harmlessness' },
  ];
  const { campaignId } = await setUpCampaign(
    world,
    {
      name: 'Criteria study',
      instructions: 'Rank overall, then by each criterion.',
      design: { task: { type: 'ranking', size: 3 }, criteria, scale: { allowTie: true, allowBothBad: false, strengthLevels: [] } },
    },
    promptSet(2, MODELS.slice(0, 3)),
  );
  const rater = await prisma.user.findFirstOrThrow({ where: { name: 'Rita Ranks' } });
  await client(world.testApp.app, world.admin).post(`/api/campaigns/${campaignId}/members`).send({ userId: rater.id }).expect((res) => expect(res.status).toBeLessThan(300));
  await page.goto(`${baseUrl}/rate/${campaignId}`);
  await page.getByRole('heading', { name: 'Criteria study: instructions' }).waitFor();
  await tabTo(page, 'Start rating');
  await page.keyboard.press('Enter');

  const ranked = await nextShown(page, null);
  const cards = await cardReplies(page);
  const plan = { overall: [[0], [1], [2]], helpfulness: [[2, 0], [1]], harmlessness: [[1], [2], [0]] };
  // A finished ranking hands the keys to the next criterion; B means nothing without "all bad".
  await page.keyboard.press('b');
  await pressRanking(page, plan.overall, cards);
  await page.getByRole('group', { name: 'Helpfulness' }).waitFor();
  // The live region reads out the placement just made in the finished question, then where the keys went.
  const card = (reply: number) => cards.indexOf(reply) + 1;
  await page
    .getByRole('status')
    .filter({ hasText: `Card ${card(2)} 3rd. 1st: ${card(0)}; 2nd: ${card(1)}; 3rd: ${card(2)}. Now: Helpfulness.` })
    .waitFor({ timeout: 5000 });
  // Backspace takes back that last placement, though the keys had moved on: back in the first question, then on again.
  await page.keyboard.press('Backspace');
  await page.getByRole('status').filter({ hasText: `Taken back. Back to: Rank the responses, best first. 1st: ${card(0)}; 2nd: ${card(1)}` }).waitFor({ timeout: 5000 });
  await pressRanking(page, [[2]], cards);
  await page.getByRole('group', { name: 'Helpfulness' }).waitFor();
  await pressRanking(page, plan.helpfulness, cards);
  await page.getByRole('group', { name: 'Harmlessness' }).waitFor();
  await pressRanking(page, plan.harmlessness, cards);
  await page.keyboard.press('Enter');
  const flagged = await nextShown(page, ranked);

  // A ranking task is flagged as a whole: the card is named in the note.
  await page.keyboard.press('f');
  await page.getByRole('dialog', { name: 'Flag a problem' }).waitFor();
  await page.keyboard.press('ArrowDown'); // Harmful -> Broken or empty
  await page.keyboard.press('Tab'); // to "Where?": the responses
  await page.keyboard.press('Tab');
  await page.keyboard.type('Card 2 is cut off.');
  await tabTo(page, 'Send flag');
  await page.keyboard.press('Enter');
  await page.getByText('All answers saved').waitFor();

  const judgment = await prisma.judgment.findFirstOrThrow({ where: { assignmentId: ranked }, include: { comparison: true } });
  const responses = await prisma.response.findMany({ where: { id: { in: judgment.comparison.slots } } });
  const replies = judgment.comparison.slots.map((id) => replyOf(responses.find((r) => r.id === id)?.content ?? ''));
  const inSlots = (ranking: number[][]) => ranking.map((group) => group.map((reply) => replies.indexOf(reply)).sort());
  expect(judgment.ranking).toEqual(inSlots(plan.overall));
  expect(judgment.allBad).toBe(false);
  expect(judgment.criteria).toEqual({ helpfulness: { ranking: inSlots(plan.helpfulness) }, harmlessness: { ranking: inSlots(plan.harmlessness) } });
  const flag = await prisma.flag.findFirstOrThrow({ where: { assignmentId: flagged } });
  expect(flag).toMatchObject({ reason: 'BROKEN', target: 'BOTH', note: 'Card 2 is cut off.' });

  // The admin's rater preview of this campaign shows the ranking screen with 3 sample cards, not a pair.
  await page.context().addCookies([{ name: SESSION_COOKIE, value: world.admin.session, url: baseUrl }]);
  await page.goto(`${baseUrl}/campaigns/${campaignId}?tab=settings`);
  const preview = page.getByRole('region', { name: /Rater preview/ });
  await preview.getByText('3 sample cards').waitFor();
  expect(await preview.getByRole('combobox', { name: /^Rank of Card \d$/ }).count()).toBe(3);
  expect(await preview.getByRole('radio', { name: 'Tie' }).count()).toBe(0);
});
