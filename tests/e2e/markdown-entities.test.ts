/// <reference lib="dom" />
// The web build decodes markdown's `&name;` references with the browser's HTML parser instead of the
// `entities` table markdown-it imports (web/vite.config.ts): both must agree on every named reference,
// on legacy names without their semicolon, and on names that are not references.
import { decodeHTMLStrict, encodeHTML } from 'entities';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openHarnessPage, type HarnessPage } from './harness-page';

let harness: HarnessPage;
beforeAll(async () => {
  harness = await openHarnessPage('markdown', 'markdownHarness');
});
afterAll(async () => {
  await harness?.close();
});

/** Every name `entities` writes for a single code point (one name per character: about 1,450). */
function namedReferences(): string[] {
  const references = new Set<string>();
  for (let code = 0; code < 0x20000; code++) {
    if (code >= 0xd800 && code < 0xe000) continue;
    const encoded = encodeHTML(String.fromCodePoint(code));
    if (/^&[a-z][a-z0-9]*;$/i.test(encoded)) references.add(encoded);
  }
  return [...references];
}

const edgeCases = [
  '&semi;', '&amp;', '&AMP;', '&Amp;', '&notit;', '&notin;', '&ampfoo;', '&copyx;', '&lt1;', '&nvlt;', '&bne;',
  '&NotEqualTilde;', '&ThickSpace;', '&fjlig;', '&Afr;', '&nosuchthing;', '&a;', '&x;',
];
/** markdown-it passes only single `&name;` matches; anything else comes back as it was (never parsed as HTML). */
const notReferences = ['&amp', 'plain', '&<img src=x onerror=alert(1)>;', '&lt;script&gt;', '&amp;&lt;'];

const decode = (references: string[]) =>
  (window as unknown as { markdownHarness: { decodeReferences(r: string[]): string[] } }).markdownHarness.decodeReferences(references);

it('decodes every named reference as the entities table does, and leaves non-references as written', async () => {
  const references = [...namedReferences(), ...edgeCases];
  expect(references.length).toBeGreaterThan(1400);
  const decoded = await harness.page.evaluate(decode, references);
  const disagreements = references
    .map((reference, index) => ({ reference, browser: decoded[index], table: decodeHTMLStrict(reference) }))
    .filter(({ browser, table }) => browser !== table);
  expect(disagreements).toEqual([]);
  expect(await harness.page.evaluate(decode, notReferences)).toEqual(notReferences);
  expect(await harness.canaryCalls()).toEqual([]);
});

it('renders references in markdown as CommonMark says', async () => {
  const html = await harness.page.evaluate(() => {
    (window as unknown as { markdownHarness: { renderAll(s: string[], o: object): void } }).markdownHarness.renderAll(
      ['&copy; &notit; &amp; &ampfoo; &#169; `&copy;`'],
      { bypassSanitiser: false },
    );
    return document.querySelector('#cases > section')?.textContent?.trim();
  });
  expect(html).toBe('© &notit; & &ampfoo; © &copy;');
});
