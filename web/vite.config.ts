// Builds the single-page app into web/dist, which the server serves with an SPA fallback.
import { fileURLToPath } from 'node:url';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  root: here('.'),
  plugins: [svelte()],
  resolve: {
    alias: [
      // The one server folder the web app may import: zod schemas shared with the routes.
      { find: '$contract', replacement: here('../server/contract') },
      // markdown-it's entity decoding by the browser's parser instead of a bundled table (see the file).
      { find: /^entities$/, replacement: here('src/lib/markdown/decode-entity-dom.ts') },
    ],
  },
  build: {
    outDir: here('dist'),
    emptyOutDir: true,
    target: 'es2022',
  },
  server: {
    proxy: { '/api': 'http://localhost:3000' },
  },
});
