// Run by `npm start` and `npm test`: builds what a fresh clone lacks or what is older than its sources
// (the Prisma client from schema.prisma; the web bundle from web/ and server/contract/; the server bundle
// dist/server from server/). `tsx scripts/ensure-built.ts prisma|web|server` builds only those.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

const root = path.resolve(import.meta.dirname, '..');
const only = process.argv.slice(2);

function newestMtime(p: string): number {
  if (!existsSync(p)) return 0;
  const s = statSync(p);
  if (!s.isDirectory()) return s.mtimeMs;
  let newest = s.mtimeMs;
  for (const e of readdirSync(p)) if (e !== 'dist' && e !== 'node_modules') newest = Math.max(newest, newestMtime(path.join(p, e)));
  return newest;
}

function stale(output: string, inputs: string[]): boolean {
  const out = path.join(root, output);
  return !existsSync(out) || statSync(out).mtimeMs < Math.max(...inputs.map((i) => newestMtime(path.join(root, i))));
}

function run(what: string, cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): void {
  console.log(`juxta: building ${what}...`);
  execFileSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
}

const bin = (name: string) => path.join(root, 'node_modules', '.bin', name);

if ((only.length === 0 || only.includes('prisma')) && stale('server/db/generated/client.ts', ['prisma/schema.prisma'])) {
  // `prisma generate` does not run the schema engine, but insists that its binary exists: point it at node.
  run('the Prisma client', bin('prisma'), ['generate', '--schema', 'prisma/schema.prisma'], { PRISMA_SCHEMA_ENGINE_BINARY: process.execPath });
}
if ((only.length === 0 || only.includes('web')) && stale('web/dist/index.html', ['web', 'server/contract'])) {
  run('the web app', bin('vite'), ['build', '--config', 'web/vite.config.ts', '--logLevel', 'warn']);
}
// The server, the stats thread (a worker thread starts from a file), and the operator's commands, which
// the Docker image runs with plain node too (`node dist/server/db-backup.js <file>`; see scripts/run-built.mjs).
const SERVER_ENTRIES = {
  main: 'server/main.ts',
  'stats-thread-worker': 'server/process/stats-thread-worker.ts',
  'db-backup': 'scripts/db-backup.ts',
  'db-restore': 'scripts/db-restore.ts',
  'secrets-rotate': 'scripts/rotate-secret-key.ts',
};
const serverStale = Object.keys(SERVER_ENTRIES).some((name) => stale(`dist/server/${name}.js`, ['server', 'scripts']));
if ((only.length === 0 || only.includes('server')) && serverStale) {
  console.log('juxta: building the server...');
  // One bundle of our code per entry; packages stay in node_modules (PGlite and Prisma load files beside
  // their own modules).
  await build({
    entryPoints: SERVER_ENTRIES,
    absWorkingDir: root,
    outdir: 'dist/server',
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: true,
    sourcesContent: false,
    // Folds the constant below away, and with it the stats thread's tsx branch.
    minifySyntax: true,
    define: { JUXTA_BUILD: 'true' },
    logLevel: 'warning',
  });
}
