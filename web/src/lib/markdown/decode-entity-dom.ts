// markdown-it's one use of the `entities` package (decoding `&name;`), answered by the browser's own HTML
// parser: every browser ships the WHATWG table of named references, so the rater's first paint need not
// carry a 13 KB gzipped copy of it. web/vite.config.ts points `entities` here for the web build only.
// The approach is that of wooorm's decode-named-character-reference (its DOM build), used by micromark.

// A <textarea> parses what it is given as text (RCDATA): no element is ever created from the input.
const decoder = document.createElement('textarea');
const NAMED_REFERENCE = /^&[a-z][a-z0-9]*;$/i;

/** `&name;` as HTML decodes it with the semicolon required; anything else comes back unchanged. */
export function decodeHTMLStrict(reference: string): string {
  if (!NAMED_REFERENCE.test(reference)) return reference;
  decoder.innerHTML = reference;
  const decoded = decoder.textContent ?? reference;
  // Legacy names match without a semicolon (`&notit;` reads as `¬it;`): a `;` left at the end means the
  // whole name is not one reference, which markdown-it (CommonMark) keeps as written.
  return decoded.endsWith(';') && reference !== '&semi;' ? reference : decoded;
}
