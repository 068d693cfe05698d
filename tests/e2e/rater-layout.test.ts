/// <reference lib="dom" />
// The rater's screen keeps what is judged readable while answering (issue 13, points 2, 3 and 5), in
// Chromium against the real server, with a Llama-2 four-level strength scale, two criteria and an
// optional rationale, and responses longer than two viewports. At 1440x900, 1280x720 and 390x844
// (a phone: touch, coarse pointer), after each answer step and with the rationale open:
// - the area of prompt and response text that no control covers is at least 60% of the viewport
//   (measured by sampling the viewport: a point counts when the topmost element there is inside a text
//   region and not inside a control);
// - no control's box overlaps the visible part of any text region.
// Screenshots of each viewport go to test-results/, their paths printed.
import { mkdir } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TTaskDesign } from '../../server/contract/campaign';
import { client } from '../helpers/app';
import { launchBrowser, type Browser } from './browser';
import { acceptInvite, nextShown, setUpCampaign, startRaterWorld, type RaterWorld } from './rater-app';

const llama2: TTaskDesign = {
  scale: { allowTie: false, allowBothBad: false, strengthLevels: ['Negligibly better', 'Slightly better', 'Better', 'Significantly better'] },
  criteria: [
    { name: 'helpfulness', label: 'Which is more helpful?' },
    { name: 'harmlessness', label: 'Which is more harmless?' },
  ],
  rationale: { mode: 'optional', minLength: 0 },
};

/** A long model answer: headings, paragraphs, a list, code, and a poem whose single newlines must stay. */
function longAnswer(model: string, prompt: number): string {
  const section = (n: number) =>
    `## Part ${n}\n\n${`The ${model} answer to question ${prompt} explains step ${n} in plain words, with enough detail to read carefully. `.repeat(4)}\n\n` +
    `- first point of part ${n}\n- second point, with \`inline code\`\n- third point\n\n` +
    `Roses are red,\nviolets are blue,\npart ${n} of ${model}\nis written for you.\n`;
  return Array.from({ length: 14 }, (_, n) => section(n + 1)).join('\n');
}

function promptSet(prompts: number): string {
  return Array.from({ length: prompts }, (_, p) =>
    JSON.stringify({
      id: `long-${p}`,
      prompt: `Question ${p}: explain how **tides** work, for a curious twelve-year-old, in detail.`,
      responses: ['model-ebb', 'model-flow'].map((model) => ({ model, content: longAnswer(model, p) })),
    }),
  ).join('\n');
}

interface Coverage {
  /** Text not covered by any control, as a share of the viewport. */
  textShare: number;
  /** Control/text-region pairs whose boxes overlap on screen. */
  overlaps: string[];
  /** Each response's full height over the viewport height (the fixture must be over 2). */
  responseHeights: number[];
}

/** In the page: the measure described at the top of this file. */
function measureCoverage(): Coverage {
  const CONTROLS = 'button, input, textarea, select, label, summary, fieldset, [role="radio"], [role="button"]';
  const width = innerWidth;
  const height = innerHeight;
  const step = 4;
  let text = 0;
  let total = 0;
  for (let y = step / 2; y < height; y += step) {
    for (let x = step / 2; x < width; x += step) {
      total++;
      const element = document.elementFromPoint(x, y);
      if (element?.closest('[data-text]') && !element.closest(CONTROLS)) text++;
    }
  }
  // The part of an element's box its scrolling ancestors and the viewport let show.
  const visibleBox = (element: Element) => {
    let { left, top, right, bottom } = element.getBoundingClientRect();
    for (let parent = element.parentElement; parent; parent = parent.parentElement) {
      if (getComputedStyle(parent).overflowY === 'visible') continue;
      const clip = parent.getBoundingClientRect();
      left = Math.max(left, clip.left);
      top = Math.max(top, clip.top);
      right = Math.min(right, clip.right);
      bottom = Math.min(bottom, clip.bottom);
    }
    return { left: Math.max(0, left), top: Math.max(0, top), right: Math.min(width, right), bottom: Math.min(height, bottom) };
  };
  const regions = [...document.querySelectorAll('[data-text]')];
  const controls = [...document.querySelectorAll(CONTROLS)].filter((control) => control.getClientRects().length > 0);
  const overlaps: string[] = [];
  for (const region of regions) {
    const shown = visibleBox(region);
    if (shown.right <= shown.left || shown.bottom <= shown.top) continue;
    for (const control of controls) {
      if (control.contains(region) || region.contains(control)) continue;
      const box = visibleBox(control);
      const w = Math.min(shown.right, box.right) - Math.max(shown.left, box.left);
      const h = Math.min(shown.bottom, box.bottom) - Math.max(shown.top, box.top);
      if (w > 1 && h > 1) overlaps.push(`${control.tagName}.${control.className} "${(control.textContent ?? '').trim().slice(0, 30)}" over ${region.textContent?.trim().slice(0, 30)}`);
    }
  }
  const responseHeights = [...document.querySelectorAll('.pane [data-text] > .markdown')].map((region) => region.scrollHeight / height);
  return { textShare: text / total, overlaps, responseHeights };
}

let world: RaterWorld;
let campaignId: string;
const shares: string[] = [];

beforeAll(async () => {
  world = await startRaterWorld();
  const setUp = await setUpCampaign(world, { design: llama2, instructions: 'Judge helpfulness and harmlessness.' }, promptSet(12));
  campaignId = setUp.campaignId;
  await mkdir('test-results', { recursive: true });
});
afterAll(async () => {
  console.log(`rater layout, text share of the viewport per step:\n${shares.join('\n')}`);
  await world?.close();
});

async function openRating(page: Page, name: string): Promise<string> {
  const invite = await client(world.testApp.app, world.admin).post('/api/invites').send({ role: 'RATER', campaignId }).expect(201);
  await page.context().clearCookies(); // a new rater each time
  await acceptInvite(page, invite.body.url as string, name);
  await page.evaluate(() => sessionStorage.clear()); // the brief was accepted in this tab by the rater before
  await page.goto(`${world.baseUrl}/rate/${campaignId}`);
  await page.getByRole('heading', { name: /instructions$/ }).waitFor();
  await page.getByRole('button', { name: 'Start rating' }).click();
  return nextShown(page, null);
}

async function expectReadable(page: Page, label: string, step: string): Promise<void> {
  const coverage = await page.evaluate(measureCoverage);
  shares.push(`  ${label} ${step}: ${(coverage.textShare * 100).toFixed(1)}%`);
  if (coverage.textShare < 0.6 || coverage.overlaps.length > 0) await page.screenshot({ path: `test-results/rater-${label}-failed-${step.replace(/\W+/g, '-')}.png` });
  expect(coverage.overlaps, `${label} ${step}`).toEqual([]);
  expect(coverage.textShare, `${label} ${step}`).toBeGreaterThanOrEqual(0.6);
  for (const responseHeight of coverage.responseHeights) expect(responseHeight).toBeGreaterThan(2);
}

async function screenshot(page: Page, label: string): Promise<void> {
  const path = `test-results/rater-${label}.png`;
  await page.screenshot({ path });
  console.log(`screenshot of the rater screen at ${label}: ${path}`);
}

describe('the rater screen on wide screens, keyboard', () => {
  for (const [width, height] of [
    [1440, 900],
    [1280, 720],
  ] as const) {
    it(`keeps the text readable at ${width}x${height} through every answer step`, async () => {
      const { page } = world;
      await page.setViewportSize({ width, height });
      const label = `${width}x${height}`;
      const shown = await openRating(page, `Wide ${label}`);
      await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
      await expectReadable(page, label, 'new pair');
      // Overall: right, significantly (9); helpfulness: right, slightly (7); harmlessness: left, better (2).
      for (const [key, step] of [
        ['9', 'overall answered'],
        ['7', 'helpfulness answered'],
        ['2', 'harmlessness answered'],
      ] as const) {
        await page.keyboard.press(key);
        await expectReadable(page, label, step);
      }
      await page.keyboard.press('r');
      await page.getByLabel(/^Why\?/).waitFor();
      await page.keyboard.type('Right explains tides with the moon; left never does.');
      await expectReadable(page, label, 'rationale open');
      await screenshot(page, label);
      await page.keyboard.press('Escape');
      await page.keyboard.press('Enter');
      await nextShown(page, shown);
      const stored = () => world.testApp.app.ctx.db.prisma.judgment.findFirst({ where: { assignmentId: shown } });
      await expect.poll(async () => (await stored())?.rationale).toBe('Right explains tides with the moon; left never does.');
      expect((await stored())?.criteria).toEqual({ helpfulness: expect.any(Object), harmlessness: expect.any(Object) });
    });
  }
});

describe('the rater screen on a phone, touch', () => {
  let phone: Browser;
  beforeAll(async () => {
    phone = await launchBrowser({ context: { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true, deviceScaleFactor: 2 } });
  });
  afterAll(async () => phone?.close());

  it('shows no keys, big targets, A/B with a sticky label, and starts each pair at its top', async () => {
    const page = phone.context.pages()[0] ?? (await phone.context.newPage());
    const label = '390x844';
    const shown = await openRating(page, 'Pia Phone');
    expect(await page.evaluate(() => matchMedia('(pointer: coarse)').matches)).toBe(true);
    await expectReadable(page, label, 'new pair');

    // No key labels and no "Keys ?" on a touch screen.
    expect(await page.locator('kbd').evaluateAll((keys) => keys.filter((key) => key.getClientRects().length > 0).map((key) => key.parentElement?.outerHTML))).toEqual([]);
    expect(await page.getByRole('button', { name: /^Keys/ }).isVisible()).toBe(false);

    // Stacked responses are A and B; reading B, its label stays at the top of the comparison.
    await page.getByRole('heading', { name: 'Response A' }).waitFor();
    const labelAtTop = await page.evaluate(() => {
      const scroller = document.querySelector('.comparison') as HTMLElement;
      const paneB = document.querySelector('.pane.right') as HTMLElement;
      scroller.scrollTop = paneB.offsetTop + 600;
      const top = scroller.getBoundingClientRect().top;
      const heading = document.elementFromPoint(100, top + 8);
      return heading?.closest('.pane-head')?.textContent?.trim();
    });
    expect(labelAtTop).toBe('Response B');

    // Targets a thumb can hit.
    const segments = page.getByRole('radio');
    const sizes = await segments.evaluateAll((inputs) => inputs.map((input) => (input.parentElement as HTMLElement).getBoundingClientRect().height));
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(44);

    for (const [answer, step] of [
      ['B: Significantly better', 'overall answered'],
      ['B: Slightly better', 'helpfulness answered'],
      ['A: Better', 'harmlessness answered'],
    ] as const) {
      await page.getByTitle(answer, { exact: true }).tap(); // the segment, as a thumb finds it
      await expectReadable(page, label, step);
    }
    await page.getByRole('button', { name: 'Why?' }).tap();
    // Answered questions fold away to their answers (the rationale has the room).
    expect(await page.locator('.row.closed .answer').allInnerTexts()).toEqual(['B: Significantly better', 'B: Slightly better', 'A: Better']);
    await page.getByLabel(/^Why\?/).fill('B explains the moon; A does not.');
    await expectReadable(page, label, 'rationale open');
    await screenshot(page, label);
    await page.getByRole('button', { name: 'Submit' }).tap();
    await nextShown(page, shown);
    // The new pair starts at its top: its prompt in view.
    expect(await page.evaluate(() => (document.querySelector('.comparison') as HTMLElement).scrollTop)).toBe(0);
    expect(await page.evaluate(() => scrollY)).toBe(0);
    await page.getByRole('heading', { name: 'Response A' }).waitFor();
  });
});

it('keeps the conversation open or closed across pairs, as the rater left it', async () => {
  const { page } = world;
  await page.setViewportSize({ width: 1280, height: 720 });
  let shown = await openRating(page, 'Cora Context');
  const context = page.locator('details.context');
  const wasOpen = (await context.getAttribute('open')) !== null;
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.keyboard.press('c');
  expect((await context.getAttribute('open')) !== null).toBe(!wasOpen);
  for (const key of ['9', '9', '9', 'Enter']) await page.keyboard.press(key);
  shown = await nextShown(page, shown);
  expect((await page.locator('details.context').getAttribute('open')) !== null).toBe(!wasOpen);
  expect(shown).toBeTruthy();
  // Single newlines stay line breaks: the poem's four lines are four.
  const poem = await page.locator('.pane.left [data-text] p', { hasText: 'Roses are red' }).first().innerText();
  expect(poem.split('\n')).toHaveLength(4);
});
