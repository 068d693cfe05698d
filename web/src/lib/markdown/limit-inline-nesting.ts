// Emphasis delimiters pair up after inline parsing, out of reach of markdown-it's maxNesting, so
// "*a _a *a ... b_ b*" nests thousands of <em> deep: the sanitiser and the browser then crawl.
import type { StateCore } from 'markdown-it';

const MAX_INLINE_DEPTH = 20;

/** Core rule: inline markup nested deeper than MAX_INLINE_DEPTH becomes its literal text again. */
export function limitInlineNesting(state: StateCore): void {
  for (const block of state.tokens) {
    const openers: boolean[] = []; // per open tag: was it flattened?
    for (const token of block.children ?? []) {
      if (token.nesting === 0) continue;
      const flatten = token.nesting === 1 ? openers.length >= MAX_INLINE_DEPTH : openers.pop() === true;
      if (token.nesting === 1) openers.push(flatten);
      if (!flatten) continue;
      token.type = 'text';
      token.tag = '';
      token.nesting = 0;
      token.attrs = null;
      token.content = token.markup === 'linkify' || token.markup === 'autolink' ? '' : token.markup;
    }
  }
}
