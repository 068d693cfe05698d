// Model output (untrusted) to safe HTML: markdown-it with raw HTML off, then DOMPurify.
import MarkdownIt, { type Token } from 'markdown-it';
import { allowedLanguage, loadedHighlighter, needsLoading } from './highlight-languages';
import { limitInlineNesting } from './limit-inline-nesting';
import { MAX_MARKDOWN_CHARS, MAX_MARKDOWN_ELEMENTS } from './limits';
import { sanitizeHtml } from './sanitize-html';

// breaks: a single newline in model output is a line break, as the model wrote it (poems, addresses).
const markdown = new MarkdownIt({ html: false, linkify: true, typographer: false, breaks: true });
markdown.core.ruler.push('limit_inline_nesting', limitInlineNesting);

/** Elements the token stream renders: every opening tag and every token that is an element of its own. */
function countElements(tokens: Token[]): number {
  let count = 0;
  for (const token of tokens) {
    if (token.nesting === 1 || (token.nesting === 0 && token.tag !== '' && token.type !== 'text')) count++;
    if (token.children) count += countElements(token.children);
  }
  return count;
}

// Our own fence rule: the fence's info string is attacker text, so only an allowlisted name
// ever reaches the class attribute, and unknown languages render as plain escaped code.
markdown.renderer.rules.fence = (tokens, index) => {
  const token = tokens[index];
  if (!token) return '';
  const language = allowedLanguage(token.info);
  const highlighter = loadedHighlighter();
  const code =
    language && highlighter?.getLanguage(language)
      ? highlighter.highlight(token.content, { language, ignoreIllegals: true }).value
      : markdown.utils.escapeHtml(token.content);
  const className = language ? ` class="hljs language-${language}"` : '';
  return `<pre><code${className}>${code}</code></pre>\n`;
};

export interface RenderedMarkdown {
  html: string;
  /** Allowlisted fence languages not loaded yet: load them, then render again for colours. */
  missingLanguages: string[];
  /** True when the source was too long or too intricate to format and is shown as plain text. */
  plainText: boolean;
}

function asPlainText(source: string): RenderedMarkdown {
  return { html: sanitizeHtml(`<p class="md-plain">${markdown.utils.escapeHtml(source)}</p>`), missingLanguages: [], plainText: true };
}

export function renderMarkdown(source: string): RenderedMarkdown {
  if (source.length > MAX_MARKDOWN_CHARS) return asPlainText(source);
  const tokens = markdown.parse(source, {});
  if (countElements(tokens) > MAX_MARKDOWN_ELEMENTS) return asPlainText(source);
  const missing = new Set<string>();
  for (const token of tokens) {
    if (token.type !== 'fence') continue;
    const language = allowedLanguage(token.info);
    if (language && needsLoading(language)) missing.add(language);
  }
  const html = sanitizeHtml(markdown.renderer.render(tokens, markdown.options, {}));
  return { html, missingLanguages: [...missing], plainText: false };
}

/** The token stream raters' markdown parses to (the word-difference view reads text from it). */
export function parseMarkdown(source: string): Token[] {
  return markdown.parse(source, {});
}
