// The code a rater downloads before the first comparison paints must stay under 120 KB gzipped.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, expect, it } from 'vitest';
import { buildWebForProduction } from './rater-app';

const BUDGET_BYTES = 120 * 1024;

interface ManifestChunk {
  file: string;
  imports?: string[];
  css?: string[];
}

let outDir: string | undefined;
afterAll(async () => {
  if (outDir) await rm(outDir, { recursive: true, force: true });
});

/** Files loaded up front for these entries: each entry and its static imports, not dynamic ones. */
function upFrontFiles(manifest: Record<string, ManifestChunk>, entries: string[]): Set<string> {
  const files = new Set<string>();
  const visit = (key: string) => {
    const chunk = manifest[key];
    if (!chunk || files.has(chunk.file)) return;
    files.add(chunk.file);
    for (const css of chunk.css ?? []) files.add(css);
    for (const imported of chunk.imports ?? []) visit(imported);
  };
  entries.forEach(visit);
  return files;
}

it('keeps the JS and CSS needed to paint the first comparison under 120 KB gzipped', async () => {
  outDir = await mkdtemp(join(tmpdir(), 'juxta-bundle-'));
  // The app shell with the rater's page (statically imported by routes.ts: a rater never waits for
  // a lazy chunk); admin pages and highlight.js languages are dynamic imports and not counted.
  const entries = ['index.html'];
  await buildWebForProduction(entries, outDir);
  const manifest = JSON.parse(await readFile(join(outDir, '.vite/manifest.json'), 'utf8')) as Record<string, ManifestChunk>;
  const files = [...upFrontFiles(manifest, entries)];
  const sizes = await Promise.all(files.map(async (file) => gzipSync(await readFile(join(outDir as string, file)), { level: 9 }).length));
  const total = sizes.reduce((sum, size) => sum + size, 0);
  console.log(
    `rater first paint: ${(total / 1024).toFixed(1)} KB gzipped JS+CSS in ${files.length} files: ` +
      files.map((file, index) => `${file} ${((sizes[index] ?? 0) / 1024).toFixed(1)} KB`).join(', '),
  );
  expect(files.some((file) => file.endsWith('.css'))).toBe(true);
  expect(total).toBeLessThan(BUDGET_BYTES);
});
