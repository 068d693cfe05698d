// The only code-fence languages we highlight: a fence's name is looked up here and never used otherwise.
import type { HLJSApi, LanguageFn } from 'highlight.js';

type LanguageLoader = () => Promise<{ default: LanguageFn }>;

// Each loader is a literal import() so the bundler makes one small chunk per language.
const loaders = new Map<string, LanguageLoader>([
  ['bash', () => import('highlight.js/lib/languages/bash')],
  ['c', () => import('highlight.js/lib/languages/c')],
  ['cpp', () => import('highlight.js/lib/languages/cpp')],
  ['csharp', () => import('highlight.js/lib/languages/csharp')],
  ['css', () => import('highlight.js/lib/languages/css')],
  ['diff', () => import('highlight.js/lib/languages/diff')],
  ['dockerfile', () => import('highlight.js/lib/languages/dockerfile')],
  ['go', () => import('highlight.js/lib/languages/go')],
  ['haskell', () => import('highlight.js/lib/languages/haskell')],
  ['ini', () => import('highlight.js/lib/languages/ini')],
  ['java', () => import('highlight.js/lib/languages/java')],
  ['javascript', () => import('highlight.js/lib/languages/javascript')],
  ['json', () => import('highlight.js/lib/languages/json')],
  ['kotlin', () => import('highlight.js/lib/languages/kotlin')],
  ['latex', () => import('highlight.js/lib/languages/latex')],
  ['lua', () => import('highlight.js/lib/languages/lua')],
  ['markdown', () => import('highlight.js/lib/languages/markdown')],
  ['perl', () => import('highlight.js/lib/languages/perl')],
  ['php', () => import('highlight.js/lib/languages/php')],
  ['python', () => import('highlight.js/lib/languages/python')],
  ['r', () => import('highlight.js/lib/languages/r')],
  ['ruby', () => import('highlight.js/lib/languages/ruby')],
  ['rust', () => import('highlight.js/lib/languages/rust')],
  ['scala', () => import('highlight.js/lib/languages/scala')],
  ['sql', () => import('highlight.js/lib/languages/sql')],
  ['swift', () => import('highlight.js/lib/languages/swift')],
  ['typescript', () => import('highlight.js/lib/languages/typescript')],
  ['xml', () => import('highlight.js/lib/languages/xml')],
  ['yaml', () => import('highlight.js/lib/languages/yaml')],
]);

const aliases = new Map<string, string>([
  ['sh', 'bash'], ['shell', 'bash'], ['zsh', 'bash'], ['console', 'bash'],
  ['h', 'c'], ['c++', 'cpp'], ['cc', 'cpp'], ['hpp', 'cpp'], ['cs', 'csharp'], ['c#', 'csharp'],
  ['patch', 'diff'], ['docker', 'dockerfile'], ['golang', 'go'], ['hs', 'haskell'], ['toml', 'ini'],
  ['js', 'javascript'], ['jsx', 'javascript'], ['mjs', 'javascript'], ['cjs', 'javascript'],
  ['kt', 'kotlin'], ['tex', 'latex'], ['md', 'markdown'], ['pl', 'perl'], ['py', 'python'],
  ['python3', 'python'], ['rb', 'ruby'], ['rs', 'rust'], ['ts', 'typescript'], ['tsx', 'typescript'],
  ['html', 'xml'], ['xhtml', 'xml'], ['yml', 'yaml'],
]);

/** The canonical name of a fence's language, or undefined when it is not on the allowlist. */
export function allowedLanguage(fenceInfo: string): string | undefined {
  const name = fenceInfo.trim().split(/\s+/, 1)[0]?.toLowerCase() ?? '';
  const canonical = aliases.get(name) ?? name;
  return loaders.has(canonical) ? canonical : undefined;
}

let highlighter: HLJSApi | undefined;
const attempted = new Set<string>();

/** The highlighter, once at least one language has been loaded. */
export function loadedHighlighter(): HLJSApi | undefined {
  return highlighter;
}

/** Whether loading this language is still worth trying (a failed load is not retried). */
export function needsLoading(language: string): boolean {
  return !attempted.has(language);
}

/** Loads highlight.js core and the given allowlisted languages; failures leave code unhighlighted. */
export async function loadLanguages(languages: readonly string[]): Promise<void> {
  const wanted = languages.filter((language) => needsLoading(language));
  for (const language of wanted) attempted.add(language);
  if (wanted.length === 0) return;
  const core = highlighter ?? (await import('highlight.js/lib/core')).default;
  highlighter = core;
  await Promise.all(
    wanted.map(async (language) => {
      const loader = loaders.get(language);
      if (!loader) return;
      try {
        core.registerLanguage(language, (await loader()).default);
      } catch {
        // A chunk that fails to load (offline, new deploy) only costs the colours.
      }
    }),
  );
}
