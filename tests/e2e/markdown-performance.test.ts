/// <reference lib="dom" />
// Pathological markdown (deep nesting, long marker runs, huge tables, tens of thousands of tiny inline
// elements) stays bounded: never more elements than MAX_MARKDOWN_ELEMENTS (plus the fallback's own),
// and past the bounds it is shown as plain text. Render times are printed for the record, not asserted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_MARKDOWN_ELEMENTS } from '../../web/src/lib/markdown/limits';
import { openHarnessPage, type HarnessPage } from './harness-page';

const tableRow = (cells: number, row: number) =>
  `| ${Array.from({ length: cells }, (_, cell) => `r${row}c${cell} *x*`).join(' | ')} |`;

const table = (rows: number, columns: number) =>
  [
    tableRow(columns, 0),
    `|${'---|'.repeat(columns)}`,
    ...Array.from({ length: rows }, (_, row) => tableRow(columns, row + 1)),
  ].join('\n');

const pathological: Record<string, string> = {
  '10,000 nested blockquotes': `${'>'.repeat(10_000)} deep`,
  '10,000 nested brackets': `${'['.repeat(10_000)}x${']'.repeat(10_000)}(https://example.com)`,
  '10,000 unclosed link openers': '[a](b '.repeat(10_000),
  '50,000 asterisks': '*'.repeat(50_000),
  '10,000 alternating emphasis markers': '*_'.repeat(5_000),
  '5,000-deep nested emphasis': `${'*a _a '.repeat(2_500)}x${' b_ b*'.repeat(2_500)}`,
  '20,000 emphasis openers before text': `${'*a '.repeat(20_000)}end`,
  '300 nested list levels': Array.from({ length: 300 }, (_, depth) => `${'  '.repeat(depth)}- item`).join('\n'),
  '50,000 backticks': '`'.repeat(50_000),
  // 5,000 cells (65 KB), each with emphasis: formatted as markdown.
  'table of 500 rows x 10 columns': table(500, 10),
  // 700 KB: past MAX_MARKDOWN_CHARS, shown as plain text.
  'table of 5,000 rows x 10 columns': table(5_000, 10),
  // About 240 KB each, under the character cutoff: tens of thousands of tiny elements.
  '60,000 code spans': '`a` '.repeat(60_000),
  '40,000 emphasised words': '*a* _b_ '.repeat(20_000).slice(0, 240_000),
  '30,000 links': '[a](/b) '.repeat(30_000),
  '40,000 one-word lines (line breaks)': 'word\n'.repeat(40_000),
};

/** Sources that must fall back to plain text (too long, or too many elements). */
const plain = new Set(['table of 5,000 rows x 10 columns', '60,000 code spans', '40,000 emphasised words', '30,000 links', '40,000 one-word lines (line breaks)']);


let harness: HarnessPage;

beforeAll(async () => {
  harness = await openHarnessPage('markdown', 'markdownHarness');
});
afterAll(async () => {
  await harness?.close();
});

describe('pathological markdown', () => {
  for (const [name, source] of Object.entries(pathological)) {
    it(`renders ${name} (${source.length.toLocaleString('en')} chars) with at most ${MAX_MARKDOWN_ELEMENTS.toLocaleString('en')} elements`, async () => {
      const rendered = await harness.page.evaluate(
        (text) =>
          (window as unknown as { markdownHarness: { time(s: string): { milliseconds: number; elements: number; plainText: boolean } } }).markdownHarness.time(text),
        source,
      );
      console.log(`${name}: ${rendered.milliseconds.toFixed(0)} ms, ${rendered.elements} elements${rendered.plainText ? ', plain text' : ''}`);
      // The wrapper, the note and the plain paragraph are the fallback's own.
      expect(rendered.elements).toBeLessThanOrEqual(MAX_MARKDOWN_ELEMENTS + 3);
      expect(rendered.plainText).toBe(plain.has(name));
    });
  }

  it('formats a long ordinary answer (5,000 elements) rather than falling back', async () => {
    const answer = Array.from({ length: 800 }, (_, i) => `Step ${i}: use \`tool ${i}\` with *care*.`).join('\n\n');
    const rendered = await harness.page.evaluate(
      (text) => (window as unknown as { markdownHarness: { time(s: string): { elements: number; plainText: boolean } } }).markdownHarness.time(text),
      answer,
    );
    expect(rendered.plainText).toBe(false);
    expect(rendered.elements).toBeGreaterThan(2_000);
  });
});
