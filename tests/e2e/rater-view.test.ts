/// <reference lib="dom" />
// The rater's comparison components in Chromium, driven as a rater would: keyboard first, mouse too.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TTaskDesign } from '../../server/contract/campaign';
import { openHarnessPage, type HarnessPage } from './harness-page';

let harness: HarnessPage;
let page: Page;

beforeAll(async () => {
  harness = await openHarnessPage('rater-view', 'raterView');
  page = harness.page;
});
afterAll(async () => {
  await harness?.close();
});

const binaryWithTie: TTaskDesign = {
  scale: { allowTie: true, allowBothBad: true, strengthLevels: [] },
  criteria: [],
  rationale: { mode: 'off', minLength: 0 },
};

const llama2WithCriteria: TTaskDesign = {
  scale: { allowTie: false, allowBothBad: false, strengthLevels: ['Negligibly better', 'Slightly better', 'Better', 'Significantly better'] },
  criteria: [
    { name: 'helpfulness', label: 'Which is more helpful?' },
    { name: 'harmlessness', label: 'Which is more harmless?' },
  ],
  rationale: { mode: 'required', minLength: 10 },
};

const longText = (word: string) => Array.from({ length: 400 }, (_, i) => `${word} line ${i}`).join('\n\n');

async function show(design: TTaskDesign, texts: { left?: string; right?: string; canUndo?: boolean } = {}) {
  await page.evaluate(
    (shown) => (window as unknown as { raterView: { show(s: unknown): void } }).raterView.show(shown),
    {
      design,
      context: [{ role: 'user', content: 'Write a **haiku** about the sea.' }],
      left: texts.left ?? 'The sea is calm tonight, waves fold into sand.',
      right: texts.right ?? 'The sea is loud tonight, waves crash onto rocks.',
      canUndo: texts.canUndo ?? false,
    },
  );
  // Keys go to the page, not to a focused control (Enter on a button does what the button says).
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
}

const events = () =>
  page.evaluate(() => (window as unknown as { raterView: { events: unknown[] } }).raterView.events.slice());

const status = () => page.locator('.judgment [role="status"]').innerText();

describe('JudgmentControls', () => {
  it('judges with one key and Enter on a binary scale', async () => {
    await show(binaryWithTie);
    await page.keyboard.press('2');
    expect(await page.getByRole('radio', { name: 'Right is better' }).isChecked()).toBe(true);
    expect(await status()).toContain('Right is better');
    await page.keyboard.press('Enter');
    expect(await events()).toEqual([{ type: 'submit', payload: { choice: 'right' } }]);
  });

  it('offers tie and both bad only when the design allows them', async () => {
    await show(binaryWithTie);
    await page.keyboard.press('b');
    await page.keyboard.press('Enter');
    expect(await events()).toEqual([{ type: 'submit', payload: { choice: 'both_bad' } }]);
    await show(llama2WithCriteria);
    expect(await page.getByRole('radio', { name: 'Tie' }).count()).toBe(0);
  });

  it('takes strength, criteria and a required rationale from the keyboard alone', async () => {
    await show(llama2WithCriteria);
    // One digit per segment, in the segments' order: 1..4 left (strongest first), 6..9 right.
    await page.keyboard.press('2'); // overall: left, "Better"; moves on to helpfulness
    expect(await status()).toContain('Left: Better');
    await page.keyboard.press('5'); // no tie on this scale
    expect(await status()).toContain('not on this scale');
    await page.keyboard.press('6'); // helpfulness: right, "Negligibly better"
    await page.keyboard.press('ArrowRight'); // harmlessness: arrows step along the segments from the middle
    expect(await status()).toContain('Right: Negligibly better');
    await page.keyboard.press('ArrowLeft');
    expect(await status()).toContain('Left: Negligibly better');
    await page.keyboard.press('1'); // harmlessness: left, "Significantly better"
    await page.keyboard.press('Enter');
    expect(await events()).toEqual([]); // the rationale is required
    expect(await status()).toContain('at least 10 characters');
    await page.keyboard.press('r');
    await page.keyboard.type('Left is accurate, right is not.');
    await page.keyboard.press('Escape');
    await page.keyboard.press('Enter');
    expect(await events()).toEqual([
      {
        type: 'submit',
        payload: {
          choice: 'left',
          strength: 3,
          criteria: { helpfulness: { choice: 'right', strength: 1 }, harmlessness: { choice: 'left', strength: 4 } },
          rationale: 'Left is accurate, right is not.',
        },
      },
    ]);
  });

  it('takes a 6-level strength scale from the keyboard: the side first (arrows), then the strength digit', async () => {
    const sixLevels: TTaskDesign = {
      scale: { allowTie: true, allowBothBad: false, strengthLevels: ['L1', 'L2', 'L3', 'L4', 'L5', 'L6'] },
      criteria: [],
      rationale: { mode: 'off', minLength: 0 },
    };
    await show(sixLevels);
    await page.keyboard.press('3'); // no side chosen yet: the digit alone means nothing, and the rater is told why
    expect(await status()).toContain('then 1 to 6');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('5');
    expect(await status()).toContain('Right: L5');
    await page.keyboard.press('Enter');
    expect(await events()).toEqual([{ type: 'submit', payload: { choice: 'right', strength: 5 } }]);
    await show(sixLevels);
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('6');
    expect(await status()).toContain('Left: L6');
    await page.keyboard.press('Enter');
    expect((await events()).at(-1)).toEqual({ type: 'submit', payload: { choice: 'left', strength: 6 } });
  });

  it('works with the mouse, and radio groups are labelled for screen readers', async () => {
    await show(llama2WithCriteria);
    const overall = page.getByRole('group', { name: /Overall, which response is better/ });
    expect(await overall.getByRole('radio', { name: 'Left: Better' }).getAttribute('aria-keyshortcuts')).toBe('2');
    await overall.getByTitle('Right: Significantly better').click();
    // Answered, the row folds to its answer and the next question opens.
    await page.getByRole('button', { name: /Overall\s*Right: Significantly better/ }).waitFor();
    await page.getByRole('group', { name: /Which is more helpful/ }).waitFor();
    expect(await page.getByRole('button', { name: /Submit/ }).getAttribute('aria-keyshortcuts')).toBe('Enter');
  });

  it('skips, undoes and flags from the keyboard', async () => {
    await show(binaryWithTie, { canUndo: true });
    await page.keyboard.press('s');
    await page.keyboard.press('u');
    await page.keyboard.press('f');
    const dialog = page.getByRole('dialog', { name: 'Flag a problem' });
    await dialog.waitFor();
    await dialog.getByLabel('Wrong language').check();
    await dialog.getByLabel('Left response').check();
    await dialog.getByLabel('Note (optional)').fill('Answers in French');
    await dialog.getByRole('button', { name: 'Send flag' }).press('Enter');
    await dialog.waitFor({ state: 'hidden' });
    expect(await events()).toEqual([
      { type: 'skip' },
      { type: 'undo' },
      { type: 'flag', payload: { reason: 'wrong_language', target: 'left', note: 'Answers in French' } },
    ]);
  });

  it('ignores undo when there is nothing to undo, and shows every key on "?"', async () => {
    await show(llama2WithCriteria);
    await page.keyboard.press('u');
    expect(await events()).toEqual([]);
    await page.keyboard.press('?');
    const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    const keys = await help.innerText();
    expect(keys).toMatch(/1\s+Left: Significantly better/);
    expect(keys).toMatch(/6\s+Right: Negligibly better/);
    expect(keys).toMatch(/9\s+Right: Significantly better/);
    await page.keyboard.press('Escape');
    await help.waitFor({ state: 'hidden' });
  });
});

describe('Comparison', () => {
  it('collapses the context and shows word differences without raw HTML', async () => {
    await show(binaryWithTie, { left: 'same words <b>here</b> then calm', right: 'same words <b>here</b> then loud' });
    const context = page.locator('details.context');
    expect(await context.getAttribute('open')).not.toBeNull();
    await page.keyboard.press('c');
    expect(await context.getAttribute('open')).toBeNull();
    await page.keyboard.press('d');
    await page.locator('mark.left').first().waitFor();
    expect(await page.locator('mark.left').allInnerTexts()).toEqual(['calm']);
    expect(await page.locator('mark.right').allInnerTexts()).toEqual(['loud']);
    expect(await page.locator('.diff b').count()).toBe(0); // text, not markup
  });

  it('shows word differences on the text as read: markup gone, lines kept', async () => {
    await show(binaryWithTie, { left: '**Roses** are red,\nviolets are blue.\n\n- one\n- two', right: '**Roses** are red,\nviolets are green.\n\n- one\n- two' });
    await page.getByRole('checkbox', { name: /Word differences/ }).check();
    await page.locator('mark.left').first().waitFor();
    expect(await page.locator('.pane.left .diff').innerText()).toBe('Roses are red,\nviolets are blue.\n\n• one\n• two');
    expect(await page.locator('mark.right').allInnerTexts()).toEqual(['green']);
    await page.getByRole('checkbox', { name: /Word differences/ }).uncheck();
  });

  it('says that a blank response is empty rather than showing a blank pane, in the word-difference view too', async () => {
    await show(binaryWithTie, { left: 'An answer.', right: ' \n ' });
    const right = page.getByRole('region', { name: 'Right response' });
    expect(await right.innerText()).toBe('This response is empty.');
    expect(await page.getByRole('region', { name: 'Left response' }).innerText()).toBe('An answer.');
    // The word-difference choice holds across comparisons: whatever it was, turn it on.
    await page.getByRole('checkbox', { name: /Word differences/ }).check();
    expect(await right.innerText()).toBe('This response is empty.');
  });

  it('scrolls the two responses together unless unlinked', async () => {
    await show(binaryWithTie, { left: longText('left'), right: longText('right') });
    const scrollTops = () =>
      page.evaluate(() => [...document.querySelectorAll<HTMLElement>('.pane .scroll')].map((pane) => pane.scrollTop));
    const scrollLeftPane = (top: number) =>
      page.evaluate((y) => {
        const pane = document.querySelector<HTMLElement>('.pane .scroll');
        if (pane) pane.scrollTop = y;
      }, top);
    // Both panes must be filled in first: with word differences on (the test before leaves them on), they say
    // "Comparing…" while the diff is worked out, and a scroll then moves nothing, so nothing follows.
    await page.waitForFunction(() => {
      const panes = [...document.querySelectorAll<HTMLElement>('.pane .scroll')];
      return panes.length === 2 && panes.every((pane) => pane.scrollHeight - pane.clientHeight > 1200);
    });
    await scrollLeftPane(600);
    await page.waitForFunction(() => (document.querySelectorAll<HTMLElement>('.pane .scroll')[1]?.scrollTop ?? 0) > 0);
    const [leftTop, rightTop] = await scrollTops();
    expect(leftTop).toBe(600);
    expect(rightTop).toBeGreaterThan(400);
    await page.keyboard.press('l');
    await scrollLeftPane(1200);
    await page.waitForTimeout(200);
    expect((await scrollTops())[1]).toBe(rightTop);
  });
});

describe('InstructionsScreen', () => {
  it('shows the content warning first, then the instructions, with focus on each heading', async () => {
    await page.evaluate(() =>
      (window as unknown as { raterView: { showInstructions(p: unknown): void } }).raterView.showInstructions({
        campaignName: 'Sea poems',
        instructions: 'Prefer the **more accurate** answer.',
        contentWarning: 'Some responses contain *offensive* language.',
      }),
    );
    const focused = () => page.evaluate(() => document.activeElement?.textContent);
    await page.getByRole('heading', { name: 'Content warning' }).waitFor();
    expect(await focused()).toBe('Content warning');
    expect(await page.locator('em').innerText()).toBe('offensive');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Sea poems: instructions' }).waitFor();
    expect(await focused()).toBe('Sea poems: instructions');
    expect(await page.locator('strong').innerText()).toBe('more accurate');
    await page.getByRole('button', { name: 'Start rating' }).click();
    expect(await events()).toEqual([{ type: 'start' }]);
  });
});
