// `npm run db:backup | db:restore | secrets:rotate`: runs that command's bundle (dist/server/<name>.js) with
// plain node. In a checkout it first builds whatever is missing or stale (through tsx, a dev dependency);
// the Docker image has neither tsx nor the sources, and runs the bundle it was built with.
//   node scripts/run-built.mjs <db-backup|db-restore|secrets-rotate> [arguments...]
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const [name, ...rest] = process.argv.slice(2);
const tsx = path.join(root, 'node_modules', '.bin', 'tsx');
if (existsSync(path.join(root, 'scripts', 'ensure-built.ts')) && existsSync(tsx)) {
  const built = spawnSync(tsx, ['scripts/ensure-built.ts', 'server'], { cwd: root, stdio: 'inherit' });
  if (built.status !== 0) process.exit(built.status ?? 1);
}
const entry = path.join(root, 'dist', 'server', `${name}.js`);
if (!name || !existsSync(entry)) {
  console.error(`juxta: no built command ${entry}; run npm run build (commands: db-backup, db-restore, secrets-rotate).`);
  process.exit(2);
}
const run = spawnSync(process.execPath, ['--enable-source-maps', entry, ...rest], { stdio: 'inherit' });
process.exit(run.status ?? 1);
