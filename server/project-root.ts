// The folder the server finds its own files in at run time (prisma/migrations, prisma/demo): the nearest
// one up that holds package.json, so the same code finds them from the sources (server/...) and from the
// build (dist/server/main.js, where every module shares the bundle's import.meta).
import { existsSync } from 'node:fs';
import path from 'node:path';

function findProjectRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`Juxta's package.json was not found above ${from}`);
  }
}

export const PROJECT_ROOT = findProjectRoot(import.meta.dirname);
