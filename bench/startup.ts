// bench:startup — start-up time and RSS at ready of the server run from the build (`node dist/server/main.js`,
// what `npm start` and the Docker image run) next to the baseline of the same server run from the
// TypeScript sources through tsx, each on a fresh database: the first start (migrations + the demo import)
// and a warm start after it. Postgres (BENCH_DATABASE_URL, default a juxta_bench_startup database it
// recreates) and PGlite (a fresh temporary directory).
//   tsx bench/startup.ts [--only postgres|pglite] [--runs 1]
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { freshBenchDatabase } from './bench-database';
import { startArgs } from '../scripts/start-command';

const { values: args } = parseArgs({ options: { only: { type: 'string' }, runs: { type: 'string', default: '1' } } });
const root = path.resolve(import.meta.dirname, '..');

const RUNNERS = {
  tsx: ['--import', 'tsx', 'server/main.ts'],
  build: startArgs(),
} as const;
type Runner = keyof typeof RUNNERS;

interface Start {
  /** From spawning node to the "Juxta is running" line. */
  readyMs: number;
  /** RSS when that line appeared, and the peak RSS up to then. */
  rssMb: number;
  peakMb: number;
}

function memoryOf(pid: number): { rssMb: number; peakMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
}

/** Starts the server, measures it at ready, and stops it with SIGTERM. */
async function startOnce(runner: Runner, env: Record<string, string>): Promise<Start> {
  const began = performance.now();
  const child = spawn(process.execPath, RUNNERS[runner], {
    cwd: root,
    env: { PATH: process.env.PATH, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'warn', JUXTA_DEMO: 'true', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const start = await new Promise<Start>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('Juxta is running')) resolve({ readyMs: performance.now() - began, ...memoryOf(child.pid!) });
    });
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.once('exit', (code) => reject(new Error(`the server exited with ${code} before it was ready:\n${out}`)));
  });
  child.removeAllListeners('exit');
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
  return start;
}

async function freshDatabase(kind: 'postgres' | 'pglite'): Promise<{ env: Record<string, string>; drop(): void }> {
  if (kind === 'postgres') return { env: { DATABASE_URL: await freshBenchDatabase('juxta_bench_startup') }, drop: () => {} };
  const dir = mkdtempSync(path.join(os.tmpdir(), 'juxta-bench-startup-'));
  return { env: { DATA_DIR: dir }, drop: () => rmSync(dir, { recursive: true, force: true }) };
}

const f = (x: number) => x.toFixed(0).padStart(5);
const line = (s: Start) => `${f(s.readyMs)} ms  RSS ${f(s.rssMb)} MB (peak ${f(s.peakMb)} MB)`;

async function bench(kind: 'postgres' | 'pglite'): Promise<void> {
  const target = kind === 'postgres' ? 150 : 450;
  console.log(`\n${kind === 'postgres' ? 'Postgres' : 'PGlite'} (target: RSS at ready under ${target} MB), load average ${os.loadavg()[0]!.toFixed(1)}`);
  for (let run = 0; run < Number(args.runs); run++) {
    for (const runner of ['tsx', 'build'] as const) {
      const db = await freshDatabase(kind);
      try {
        const first = await startOnce(runner, db.env);
        const warm = await startOnce(runner, db.env);
        const label = runner === 'tsx' ? 'baseline: tsx on the sources' : 'node on the build          ';
        console.log(`  ${label}  first start ${line(first)}   warm start ${line(warm)}`);
      } finally {
        db.drop();
      }
    }
  }
}

execFileSync(process.execPath, ['--import', 'tsx', 'scripts/ensure-built.ts', 'server'], { cwd: root, stdio: 'inherit' });
if (args.only !== 'pglite') await bench('postgres');
if (args.only !== 'postgres') await bench('pglite');
