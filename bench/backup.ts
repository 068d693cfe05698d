// bench:backup — db:backup and db:restore of a 1,000,000-judgment Postgres database (bench:export's seeder:
// 200,000 comparisons x 5 judgments), each in a process of its own measured by GNU time (elapsed, peak
// RSS), next to pg_dump -Fc and pg_restore of the same database in the same run.
//   tsx bench/backup.ts [--comparisons 200000] [--reuse]
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { freshBenchDatabase } from './bench-database';

const { values: args } = parseArgs({ options: { comparisons: { type: 'string', default: '200000' }, reuse: { type: 'boolean', default: false } } });
// BENCH_TAG (as bench:export reads it): a suffix for every database's name, so that runs by two people on
// one server do not drop each other's.
const TAG = process.env.BENCH_TAG ? `_${process.env.BENCH_TAG}` : '';
const SOURCE = `postgresql://postgres@127.0.0.1:5432/juxta_bench_export${TAG}`;
const dir = mkdtempSync(path.join(os.tmpdir(), 'juxta-bench-backup-'));

/** Runs a command under GNU time: seconds and peak RSS (MB) of the largest process it started. */
function timed(label: string, command: string[], env: Record<string, string> = {}): { seconds: number; peakMb: number } {
  const res = spawnSync('/usr/bin/time', ['-f', 'TIME %e %M', ...command], { env: { ...process.env, ...env }, encoding: 'utf8' });
  const m = /TIME ([\d.]+) (\d+)/.exec(res.stderr);
  if (res.status !== 0 || !m) throw new Error(`${label} failed: ${res.stderr}`);
  return { seconds: Number(m[1]), peakMb: Number(m[2]) / 1024 };
}

const line = (label: string, r: { seconds: number; peakMb: number }, file?: string) =>
  console.log(`${label.padEnd(34)} ${r.seconds.toFixed(1).padStart(6)} s   peak RSS ${r.peakMb.toFixed(0).padStart(5)} MB${file ? `   ${(statSync(file).size / 2 ** 20).toFixed(0)} MB file` : ''}   (load average ${os.loadavg()[0]!.toFixed(1)})`);

if (!args.reuse) {
  console.log(`seeding ${args.comparisons} comparisons x 5 judgments (bench:export's seeder)...`);
  const seeding = performance.now();
  execFileSync(process.execPath, ['--import', 'tsx', 'bench/export.ts', '--comparisons', args.comparisons, '--child', 'seed'], { stdio: 'inherit' });
  console.log(`seeded in ${((performance.now() - seeding) / 1000).toFixed(1)} s (load average ${os.loadavg()[0]!.toFixed(1)})`);
}
const judgments = execFileSync('psql', [SOURCE, '-Atc', 'SELECT count(*) FROM "Judgment"'], { encoding: 'utf8' }).trim();
console.log(`source: ${judgments} judgments`);

const dump = path.join(dir, 'pg.dump');
line('baseline pg_dump -Fc', timed('pg_dump', ['pg_dump', '-Fc', '-f', dump, SOURCE]), dump);
const pgTarget = await freshBenchDatabase(`juxta_bench_restore_pg${TAG}`);
line('baseline pg_restore', timed('pg_restore', ['pg_restore', '--no-owner', '-d', pgTarget, dump]));

const file = path.join(dir, 'juxta.jsonl.gz');
line('db:backup', timed('db:backup', [process.execPath, '--import', 'tsx', 'scripts/db-backup.ts', file], { DATABASE_URL: SOURCE }), file);
const target = await freshBenchDatabase(`juxta_bench_restore${TAG}`);
line('db:restore (Postgres)', timed('db:restore', [process.execPath, '--import', 'tsx', 'scripts/db-restore.ts', file], { DATABASE_URL: target }));
const restored = execFileSync('psql', [target, '-Atc', 'SELECT count(*) FROM "Judgment"'], { encoding: 'utf8' }).trim();
console.log(`restored: ${restored} judgments (${restored === judgments ? 'all' : 'MISMATCH'})`);
rmSync(dir, { recursive: true, force: true });
