/// <reference lib="dom" />
// Pathological markdown (deep nesting, long marker runs, huge tables) must render within a budget.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openHarnessPage, type HarnessPage } from './harness-page';

const BUDGET_MS = 2_000;

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
};

let harness: HarnessPage;

beforeAll(async () => {
  harness = await openHarnessPage('markdown', 'markdownHarness');
});
afterAll(async () => {
  await harness?.close();
});

describe('pathological markdown', () => {
  for (const [name, source] of Object.entries(pathological)) {
    it(`renders ${name} (${source.length.toLocaleString('en')} chars) within ${BUDGET_MS} ms`, async () => {
      const milliseconds = await harness.page.evaluate(
        (text) =>
          (window as unknown as { markdownHarness: { time(s: string): number } }).markdownHarness.time(text),
        source,
      );
      console.log(`${name}: ${milliseconds.toFixed(0)} ms`);
      expect(milliseconds).toBeLessThan(BUDGET_MS);
    });
  }
});
