/// <reference lib="dom" />
// Every XSS payload rendered through the real markdown pipeline in Chromium must stay inert;
// the same harness with the sanitiser bypassed must catch at least one (the negative control).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openHarnessPage, type HarnessPage } from './harness-page';
import { xssCases } from './markdown-xss-payloads';

let harness: HarnessPage;

beforeAll(async () => {
  harness = await openHarnessPage('markdown', 'markdownHarness');
});
afterAll(async () => {
  await harness?.close();
});

interface Violation {
  index: number;
  problem: string;
}

/** Renders every case, lets event handlers and chunk loads settle, and lists what is not inert. */
async function renderAndInspect(bypassSanitiser: boolean): Promise<Violation[]> {
  const { page } = harness;
  await page.evaluate(
    ({ sources, bypassSanitiser }) =>
      (window as unknown as { markdownHarness: { renderAll(s: string[], o: object): void } })
        .markdownHarness.renderAll(sources, { bypassSanitiser }),
    { sources: xssCases.map((c) => c.source), bypassSanitiser },
  );
  // onerror of a failed image and highlight.js language chunks arrive asynchronously. Sanitised, the page is inspected
  // once the code is highlighted (the chunk loaded and the cases drawn again: networkidle and half a second were not
  // always enough, 1 run of 1 with Chromium's CPU throttled 10x), then half a second more for late handlers.
  await page.waitForLoadState('networkidle');
  if (!bypassSanitiser) await page.waitForFunction(() => document.querySelector('#cases code.language-javascript .hljs-string') !== null);
  await page.waitForTimeout(500);
  return page.evaluate(() => {
    const forbiddenTags = new Set([
      'script', 'iframe', 'frame', 'frameset', 'object', 'embed', 'base', 'meta', 'link', 'style',
      'form', 'input', 'button', 'textarea', 'select', 'svg', 'math', 'img', 'video', 'audio',
      'source', 'template', 'image',
    ]);
    const urlAttributes = new Set([
      'href', 'src', 'xlink:href', 'action', 'formaction', 'data', 'srcset', 'poster',
      'background', 'srcdoc', 'ping', 'cite', 'longdesc', 'lowsrc',
    ]);
    // Browsers ignore leading controls and whitespace in URLs, so the check does too.
    // eslint-disable-next-line no-control-regex -- matching control characters is the point
    const ignoredInUrls = /[\u0000-\u0020\u007f-\u00a0\u1680\u180e\u2000-\u2029\u205f\u3000\ufeff]/g;
    // Bypassed payloads clobber element properties (<form><input name=attributes>): read through
    // the prototypes so the inspection itself cannot be fooled.
    const localNameOf = Object.getOwnPropertyDescriptor(Element.prototype, 'localName')!.get!;
    const attributesOf = (element: Element) =>
      Element.prototype.getAttributeNames.call(element).map((name) => ({
        name,
        value: Element.prototype.getAttribute.call(element, name) ?? '',
      }));
    const violations: { index: number; problem: string }[] = [];
    for (const section of document.querySelectorAll<HTMLElement>('#cases > section')) {
      const index = Number(section.dataset.case);
      for (const element of section.querySelectorAll('*')) {
        const tag = localNameOf.call(element) as string;
        if (forbiddenTags.has(tag)) violations.push({ index, problem: `<${tag}> element` });
        const attributes = attributesOf(element);
        for (const { name, value } of attributes) {
          if (name.startsWith('on')) violations.push({ index, problem: `${name} on <${tag}>` });
          if (name === 'style') violations.push({ index, problem: `style on <${tag}>` });
          if (urlAttributes.has(name) && /^(?:javascript|vbscript|data):/i.test(value.replace(ignoredInUrls, ''))) {
            violations.push({ index, problem: `${name}="${value.slice(0, 40)}" on <${tag}>` });
          }
        }
        const rel = attributes.find(({ name }) => name === 'rel')?.value;
        if (tag === 'a' && attributes.some(({ name }) => name === 'href') && rel !== 'noopener noreferrer nofollow') {
          violations.push({ index, problem: 'link without rel="noopener noreferrer nofollow"' });
        }
      }
    }
    return violations;
  });
}

const describeViolations = (violations: Violation[]) =>
  violations.map(({ index, problem }) => `${xssCases[index]?.origin}: ${problem}`);

describe('markdown rendering of untrusted model output', () => {
  it(`keeps all ${xssCases.length} XSS payloads inert`, async () => {
    expect(xssCases.length).toBeGreaterThan(450);
    const violations = await renderAndInspect(false);
    expect(describeViolations(violations)).toEqual([]);
    expect(await harness.canaryCalls()).toEqual([]);
    expect(harness.dialogs).toEqual([]);
    expect(harness.strayRequests).toEqual([]);
    // The pipeline ran: links, image placeholders and highlighted code are in the DOM.
    const rendered = await harness.page.evaluate(() => ({
      links: document.querySelectorAll('#cases a[target="_blank"]').length,
      imagePlaceholders: document.querySelectorAll('#cases .md-image').length,
      highlighted: document.querySelectorAll('#cases code.language-javascript .hljs-string').length,
      rtlReady: document.querySelectorAll('#cases .markdown[dir="auto"]').length,
    }));
    expect(rendered.links).toBeGreaterThan(0);
    expect(rendered.imagePlaceholders).toBeGreaterThan(0);
    expect(rendered.highlighted).toBeGreaterThan(0);
    expect(rendered.rtlReady).toBeGreaterThan(0);
  });

  it('negative control: with the sanitiser bypassed the same checks catch executed payloads', async () => {
    const violations = await renderAndInspect(true);
    const executed = [...(await harness.canaryCalls()), ...harness.dialogs];
    console.log(
      `negative control: ${executed.length} payload executions, ${violations.length} DOM violations, ` +
        `${harness.strayRequests.length} stray requests`,
    );
    expect(executed.length).toBeGreaterThan(0);
    expect(violations.length).toBeGreaterThan(0);
  });
});
