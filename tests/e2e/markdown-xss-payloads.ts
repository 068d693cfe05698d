// XSS payloads: the corpus fixtures (copied in tests/fixtures/xss) plus our own inside markdown constructs.
import { readFileSync } from 'node:fs';

const fixture = (name: string) =>
  readFileSync(new URL(`../fixtures/xss/${name}`, import.meta.url), 'utf8');

export interface XssCase {
  origin: string;
  source: string;
}

/** Markdown inputs of markdown-it's fixture: blocks of ".\n<markdown>\n.\n<expected html>\n.". */
function markdownItFixtureSources(text: string): string[] {
  const sources: string[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (lines[i] !== '.') continue;
    const end = lines.indexOf('.', i + 1);
    sources.push(lines.slice(i + 1, end).join('\n'));
    i = lines.indexOf('.', end + 1); // skip the expected html block
  }
  return sources;
}

const dangerousUrls = [
  'javascript:alert(1)',
  'JaVaScRiPt:alert(1)',
  'java\tscript:alert(1)',
  '&#106;avascript:alert(1)',
  'javascript&#58;alert(1)',
  'vbscript:msgbox(1)',
  'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
  'data:text/html,<script>alert(1)</script>',
  'data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+',
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'https://tracker.example/pixel.png',
  '//tracker.example/pixel.png',
];

// Every dangerous URL in every place markdown accepts a URL.
const urlConstructs = dangerousUrls.flatMap((url) => [
  `[link](${url})`,
  `[link](<${url}> "title")`,
  `![alt text](${url})`,
  `<${url}>`,
  `see ${url} here`,
  `[reference link][ref]\n\n[ref]: ${url}`,
  `![reference image][img]\n\n[img]: ${url} "title"`,
  `[![nested](${url})](${url})`,
]);

const fenceAndInlineConstructs = [
  '```"><img src=x onerror=alert(1)>\ncode\n```',
  '```js" onmouseover="alert(1)\nlet x = 1;\n```',
  '```javascript onload=alert(1)\nconst s = "<img src=x onerror=alert(1)>";\n```',
  '```html\n<script>alert(1)</script><img src=x onerror=alert(1)>\n```',
  '```xml\n<svg onload=alert(1)></svg>\n```',
  '```__proto__\n<img src=x onerror=alert(1)>\n```',
  '```constructor\n<img src=x onerror=alert(1)>\n```',
  '~~~<script>alert(1)</script>\nx\n~~~',
  '    <script>alert(1)</script>',
  '`<img src=x onerror=alert(1)>`',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '<iframe src="javascript:alert(1)"></iframe>',
  '[<img src=x onerror=alert(1)>](https://example.com)',
  '[x](https://example.com "\\" onmouseover=alert(1) x=\\"")',
  '[x](https://example.com) <a href="javascript:alert(1)">raw</a>',
  '> <img src=x onerror=alert(1)>\n> [q](javascript:alert(1))',
  '- [item](javascript:alert(1))\n- ![i](https://tracker.example/a.png)',
  '| a | b |\n|---|---|\n| <img src=x onerror=alert(1)> | [x](vbscript:msgbox(1)) |',
  '*emphasis <svg/onload=alert(1)>*',
  'www.example.com/"onmouseover="alert(1)',
  'mailto:x@example.com"onclick="alert(1)',
];

export const xssCases: XssCase[] = [
  ...fixture('dompurify_expect_fixtures.jsonl')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { title: string; payload: string })
    .map(({ title, payload }) => ({ origin: `DOMPurify fixture: ${title}`, source: payload })),
  ...fixture('dompurify_payloads.txt')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((source, line) => ({ origin: `DOMPurify payloads line ${line + 1}`, source })),
  ...markdownItFixtureSources(fixture('markdown-it_xss_fixture.txt')).map((source, index) => ({
    origin: `markdown-it xss fixture #${index + 1}`,
    source,
  })),
  ...[...urlConstructs, ...fenceAndInlineConstructs].map((source) => ({ origin: 'markdown construct', source })),
];
