// Repo-wide lint: typescript-eslint for server, tests, bench and scripts; eslint-plugin-svelte for web.
import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'web/dist/', 'server/db/generated/', 'data/', 'dist/', 'coverage/', 'test-results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...svelte.configs.recommended,
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'] } },
  },
  {
    files: ['web/**'],
    languageOptions: { globals: globals.browser },
    rules: {
      // DESIGN.md: the web app imports only server/contract (through the $contract alias).
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/server/**'], message: 'web/ may import server/contract only, as $contract/...' }] },
      ],
    },
  },
  {
    files: ['server/**', 'tests/**', 'testkit/**', 'bench/**', 'scripts/**', '*.ts', '*.js'],
    languageOptions: { globals: globals.node },
  },
  {
    // server/db/README.md: services reach the database through repositories and `ctx.db.transaction(fn)`;
    // the handle's Prisma client and SQL runner are server/db/'s own (plugins may watch the pool: metrics).
    files: ['server/routes/**', 'server/services/**', 'server/plugins/**', 'server/domain/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: 'MemberExpression[property.name=/^(prisma|sql|\\$transaction|\\$queryRaw\\w*|\\$executeRaw\\w*)$/]',
          message: 'Only server/db/ touches Prisma or SQL: call a repository, and open transactions with ctx.db.transaction(fn).',
        },
      ],
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/db/generated/**', '**/db/sql/**', '**/db/sql-runner'], message: 'Only server/db/ touches Prisma or SQL: call a repository.' },
            { group: ['**/db/database'], importNames: ['Prisma', 'PrismaClient'], message: 'Only server/db/ touches Prisma: call a repository.' },
          ],
        },
      ],
    },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // A SvelteKit rule; this app routes with its own history router.
      'svelte/no-navigation-without-resolve': 'off',
    },
  },
  {
    // The one sanitising markdown renderer: everything it inserts went through DOMPurify.
    files: ['web/src/lib/components/Markdown.svelte'],
    rules: { 'svelte/no-at-html-tags': 'off' },
  },
);
