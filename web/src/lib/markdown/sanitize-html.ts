// DOMPurify with a strict allowlist: the last guard between model output and the rater's page.
import createDOMPurify from 'dompurify';

const purify = createDOMPurify(window);

// Exactly what markdown-it and highlight.js emit; no SVG, MathML, forms, frames, media or styles.
const ALLOWED_TAGS = [
  'a', 'blockquote', 'br', 'code', 'del', 'em', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'li',
  'ol', 'p', 'pre', 's', 'span', 'strong', 'table', 'tbody', 'td', 'th', 'thead', 'tr', 'ul',
];
const ALLOWED_ATTR = ['href', 'title', 'class', 'start'];
const SAFE_URL = /^(?:https?|mailto):/i;
// highlight.js token classes and our own; anything else could dress text up as our UI.
const SAFE_CLASS = /^(?:hljs(?:-[\w-]+)?|language-[\w-]+|md-image|md-plain|[a-z]+_+)$/;

// Remote images would leak the rater's IP and timing to whoever wrote the URL: show them as text.
purify.addHook('uponSanitizeElement', (node, data) => {
  if (data.tagName !== 'img' || !(node instanceof Element)) return;
  const placeholder = node.ownerDocument.createElement('span');
  placeholder.className = 'md-image';
  const alt = node.getAttribute('alt') ?? '';
  const src = node.getAttribute('src') ?? '';
  placeholder.textContent = `Image not loaded${alt ? `: ${alt}` : ''}${src ? ` (${src})` : ''}`;
  node.replaceWith(placeholder);
});

purify.addHook('uponSanitizeAttribute', (_node, data) => {
  if (data.attrName === 'class') {
    data.keepAttr = data.attrValue.split(/\s+/).every((name) => SAFE_CLASS.test(name));
  }
});

purify.addHook('afterSanitizeAttributes', (node) => {
  if (!(node instanceof Element)) return;
  if (node.tagName === 'A' && node.hasAttribute('href')) {
    node.setAttribute('target', '_blank');
    node.setAttribute('rel', 'noopener noreferrer nofollow');
  }
});

/** Sanitised HTML safe to insert into the page. */
export function sanitizeHtml(html: string): string {
  return purify.sanitize(html, {
    ALLOWED_TAGS,
    ALLOWED_ATTR,
    ALLOW_DATA_ATTR: false,
    ALLOW_ARIA_ATTR: false,
    ALLOWED_URI_REGEXP: SAFE_URL,
    ALLOW_UNKNOWN_PROTOCOLS: false,
  });
}
