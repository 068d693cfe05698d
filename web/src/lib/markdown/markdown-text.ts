// Markdown as the rater reads it, as plain text: loaded with the word-difference view, which compares these.
import type { Token } from 'markdown-it';
import { MAX_MARKDOWN_CHARS } from './limits';
import { parseMarkdown } from './render-markdown';

/** Inline markup dropped, its text kept; line breaks as written. */
function inlineText(children: Token[]): string {
  return children
    .map((child) => (child.type === 'softbreak' || child.type === 'hardbreak' ? '\n' : child.type === 'text' || child.type === 'code_inline' ? child.content : ''))
    .join('');
}

/**
 * What the rater reads, as text: markup gone, line structure kept (paragraphs, list items with their
 * bullets or numbers, code lines). The word-difference view compares these rather than raw markdown.
 */
export function markdownText(source: string): string {
  if (source.length > MAX_MARKDOWN_CHARS) return source;
  let text = '';
  let depth = 0;
  for (const token of parseMarkdown(source)) {
    if (token.type === 'inline') text += inlineText(token.children ?? []);
    else if (token.type === 'fence' || token.type === 'code_block') text += `${token.content}\n`;
    else if (token.type === 'bullet_list_open' || token.type === 'ordered_list_open') depth++;
    else if (token.type === 'bullet_list_close' || token.type === 'ordered_list_close') {
      depth--;
      if (depth === 0) text += '\n';
    } else if (token.type === 'list_item_open') text += `${'  '.repeat(depth - 1)}${token.markup === '.' || token.markup === ')' ? `${token.info}${token.markup}` : '•'} `;
    else if (token.type === 'paragraph_close') text += token.hidden ? '\n' : '\n\n';
    else if (token.type === 'heading_close') text += '\n\n';
    else if (token.type === 'tr_close' || token.type === 'table_close' || token.type === 'blockquote_close') text += '\n';
    else if (token.type === 'th_close' || token.type === 'td_close') text += '\t';
    else if (token.type === 'hr') text += '———\n\n';
  }
  return text.replace(/\n{3,}/g, '\n\n').trim();
}
