// The node command `npm start` runs on the build (package.json's start script, after its `&&`), as argv
// for spawn: the benchmarks and tests that start the built server run it with the same V8 flags, and the
// Dockerfile's CMD is checked against it (tests/unit/deployment-files.test.ts).
import { readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');

/** ['node', ...flags, 'dist/server/main.js'] */
export function startCommand(): string[] {
  const start = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start;
  return start.slice(start.lastIndexOf('&&') + 2).trim().split(/\s+/);
}

/** The node arguments of that command (what follows `node`), for spawn(process.execPath, ...). */
export const startArgs = (): string[] => startCommand().slice(1);
