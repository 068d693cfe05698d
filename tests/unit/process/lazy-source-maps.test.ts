// The build's stack traces name the TypeScript sources, with the bundle's source map read at the first
// trace, not at start-up (npm start runs node without --enable-source-maps: see lazy-source-maps.ts).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../../..');
let dir: string;

// Line 6 of the fixture throws. Before it, the map is renamed away when the argument says so: a map read
// at start-up would still be in memory, a lazy one is looked for only then.
const FIXTURE = `import { renameSync } from 'node:fs';
import { installLazySourceMaps } from ${JSON.stringify(path.join(root, 'server/process/lazy-source-maps.ts'))};
installLazySourceMaps(import.meta.dirname);
if (process.argv[2] === 'hide-map') renameSync(import.meta.dirname + '/out.js.map', import.meta.dirname + '/hidden.map');
function fails(): never {
  throw new Error('from the fixture');
}
try { fails(); } catch (err) { console.log((err as Error).stack); }
`;

function run(...args: string[]): string {
  const res = spawnSync(process.execPath, [path.join(dir, 'out.js'), ...args], { encoding: 'utf8' });
  expect(res.status, res.stderr).toBe(0);
  return res.stdout;
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'juxta-sourcemaps-'));
  writeFileSync(path.join(dir, 'fixture.ts'), FIXTURE);
  await build({ entryPoints: [path.join(dir, 'fixture.ts')], outfile: path.join(dir, 'out.js'), bundle: true, platform: 'node', format: 'esm', sourcemap: true, sourcesContent: false, logLevel: 'silent' });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('lazy source maps', () => {
  it('map a frame of the bundle to its TypeScript line', () => {
    const stack = run();
    expect(stack).toMatch(/^Error: from the fixture\n/);
    expect(stack).toContain(`at fails (${path.join(dir, 'fixture.ts')}:6:9)`);
    expect(stack).not.toMatch(/out\.js:\d+/);
  });

  it('read the map at the first trace, not at start-up', () => {
    const stack = run('hide-map');
    expect(stack).toMatch(/at fails \(.*out\.js:\d+:\d+\)/);
    renameSync(path.join(dir, 'hidden.map'), path.join(dir, 'out.js.map'));
  });

  it('leave the frames alone when node maps them itself (--enable-source-maps)', () => {
    const res = spawnSync(process.execPath, ['--enable-source-maps', path.join(dir, 'out.js')], { encoding: 'utf8' });
    expect(res.stdout).toContain(`${path.join(dir, 'fixture.ts')}:6:9`);
  });
});
