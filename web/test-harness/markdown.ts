// Test-only entry: exposes the markdown pipeline to Chromium tests, plus an unsanitised bypass
// used as the negative control that proves the XSS checks can fail.
import MarkdownIt from 'markdown-it';
import { flushSync, mount } from 'svelte';
import Markdown from '../src/lib/components/Markdown.svelte';
import { decodeHTMLStrict } from '../src/lib/markdown/decode-entity-dom';

const unsafeMarkdown = new MarkdownIt({ html: true, linkify: true });
const cases = document.getElementById('cases') as HTMLElement;
// Bypassed payloads clobber document properties (<img name=createElement>): keep our own references.
const createSection = document.createElement.bind(document, 'section');

function renderCase(source: string, bypassSanitiser: boolean): HTMLElement {
  const section = createSection();
  cases.append(section);
  if (bypassSanitiser) section.innerHTML = unsafeMarkdown.render(source);
  else mount(Markdown, { target: section, props: { source } });
  return section;
}

const harness = {
  /** Each reference as the web build's markdown-it decodes it (by the browser's parser). */
  decodeReferences: (references: string[]): string[] => references.map(decodeHTMLStrict),
  renderAll(sources: string[], options: { bypassSanitiser: boolean }): void {
    cases.replaceChildren();
    sources.forEach((source, index) => {
      renderCase(source, options.bypassSanitiser).dataset.case = String(index);
    });
    flushSync();
  },
  /** Milliseconds from source text to DOM, measured in the page, and what was rendered. */
  time(source: string): { milliseconds: number; elements: number; plainText: boolean } {
    cases.replaceChildren();
    const start = performance.now();
    const section = renderCase(source, false);
    flushSync();
    // Reading layout forces style and layout, so the figure includes what the rater waits for.
    void cases.offsetHeight;
    const milliseconds = performance.now() - start;
    return { milliseconds, elements: section.querySelectorAll('*').length, plainText: section.querySelector('.plain-note') !== null };
  },
};

Object.assign(window, { markdownHarness: harness });
