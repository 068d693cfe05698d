// bench:judge — the rater loop through HTTP next to a baseline of the same SQL transactions (claim
// with SKIP LOCKED and lease; judgment and counters) sent straight to the database, same raters, same
// pool size. (a) throughput, 64 raters, no think time; (b) judge-request latency at an open-loop 200/s.
// Postgres (BENCH_DATABASE_URL, default a juxta_bench_rating database it recreates) and PGlite.
// The HTTP load comes from this process by default; --client process sends it from a process of its own
// (bench/judge-client.ts), off the app's event loop: on a machine with spare cores that measures the app
// alone; on 2 cores the third process costs more than it saves (p99 34 vs 23 ms at 200/s here).
// Both pools keep their connections between runs (POOL_OPTIONS): with pg's 10 s idle timeout every latency run
// began on new Postgres backends planning cold, which was most of its p99 (ranking, load 2.8-3.8, 3 runs alternated:
// app 97/90/117 -> 34/33/27 ms, baseline 56/64/69 -> 16/26/21 ms). What is left of the tail on this 2-core host follows
// the host: commits waiting on WAL flushes (one fdatasync alone: p99 6 ms, max 28-40 ms under others' load), the
// row locks queued behind them, and CPU shared with Postgres; --max-semi-space-size=4 (npm start's) did not help.
// Both commit the claim transaction asynchronously (synchronous_commit off, README "Claiming") and the judgment
// synchronously, so each request waits for one WAL flush, the judgment's, in the app and the baseline alike.
// --task ranking: ranking tasks of 4 (each judgment ranks 4 responses, C(4,2) = 6 pairs) instead of pairs.
//   tsx bench/judge.ts [--seconds 8] [--raters 64] [--rate 200] [--only postgres|pglite] [--client same|process] [--task pairwise|ranking]
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { buildApp } from '../server/app';
import { loadConfig } from '../server/config';
import { POOL_OPTIONS } from '../server/db/database';
import { sqlRunner, type SqlRunner } from '../server/db/sql-runner';
import { seedComparisons } from '../testkit/factory';
import { createRaters } from '../testkit/factory';
import { freshBenchDatabase } from './bench-database';
import { latency, RANKING_SIZE, rawLoop, runClientTask, throughput, type ClientResult, type ClientTask, type LatencyResult, type Rater } from './judge-loops';

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '8' },
    raters: { type: 'string', default: '64' },
    rate: { type: 'string', default: '200' },
    pool: { type: 'string', default: '10' },
    only: { type: 'string' },
    client: { type: 'string', default: 'same' },
    task: { type: 'string', default: 'pairwise' },
  },
});
const RANKING = args.task === 'ranking';
const SECONDS = Number(args.seconds);
const RATERS = Number(args.raters);
const RATE = Number(args.rate);
const POOL = Number(args.pool);
const SEPARATE_CLIENT = args.client === 'process';

/**
 * Seeds enough work that nobody runs out (k = 3 over 3 pairs, or one ranking task of 4, per prompt) and the raters, as members,
 * into a database holding no other campaign: every run, the app's and the baseline's, starts from the same state. (Runs used
 * to pile up campaigns, and the app always ran after the baseline: its claims then walked the earlier campaigns' comparisons
 * in id order, so the app paid twice the baseline's Postgres CPU per judgment for the same statements.)
 */
async function seedWork(app: FastifyInstance): Promise<{ campaignId: string; raters: Rater[] }> {
  await app.ctx.db.sql.query('TRUNCATE "Campaign" CASCADE', []);
  const seed = RANKING
    ? { prompts: Math.ceil((RATE * SECONDS * 4) / 3) + 6000, models: RANKING_SIZE, votes: 3, ranking: true }
    : { prompts: Math.ceil((RATE * SECONDS * 4) / 9) + 2000, models: 3, votes: 3 };
  const s = await seedComparisons(app.ctx.db.prisma, seed);
  return { campaignId: s.campaignId, raters: await createRaters(app.ctx.db.prisma, s.campaignId, RATERS) };
}

/** A measurement of the baseline, in this process (no HTTP: the database's own cost). */
async function baseline(kind: ClientTask['kind'], raw: SqlRunner, app: FastifyInstance) {
  const { campaignId, raters } = await seedWork(app);
  const loop = rawLoop(raw, RANKING);
  const steps = await Promise.all(raters.map((r) => loop.start(r, campaignId)));
  return kind === 'throughput' ? throughput(steps, SECONDS) : latency(steps, RATE, SECONDS);
}

/** A measurement of the app through HTTP, from the load-generator process (or this one with --client same). */
async function throughHttp<K extends ClientTask['kind']>(kind: K, app: FastifyInstance, address: string): Promise<K extends 'throughput' ? number : LatencyResult> {
  const { campaignId, raters } = await seedWork(app);
  const task: ClientTask = { kind, baseUrl: address, origin: app.ctx.config.publicUrl, campaignId, raters, rate: RATE, seconds: SECONDS, ranking: RANKING };
  let result: ClientResult;
  if (SEPARATE_CLIENT) {
    const child = fork(fileURLToPath(new URL('./judge-client.ts', import.meta.url)), [], { execArgv: ['--import', 'tsx'] });
    result = await new Promise<ClientResult>((resolve, reject) => {
      child.once('message', (message) => resolve(message as ClientResult));
      child.once('exit', (code) => reject(new Error(`the load generator exited with code ${code} before answering`)));
      child.send(task);
    });
  } else {
    result = await runClientTask(task);
  }
  if ('error' in result) throw new Error(`load generator: ${result.error}`);
  return ('throughput' in result ? result.throughput : result.latency) as K extends 'throughput' ? number : LatencyResult;
}

async function listen(app: FastifyInstance): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
}

const ENV = { LOG_LEVEL: 'silent', PUBLIC_URL: 'http://juxta.bench', JUXTA_DEMO: 'false', DB_POOL_SIZE: String(POOL) };

function report(kind: string, a: { app: number; base: number }, b: { app: LatencyResult; base: LatencyResult }): void {
  const f = (x: number) => x.toFixed(1);
  const unit = RANKING ? 'rankings' : 'judgments';
  // Targets: pairs issue 11 item 9, rankings issue 17 item 7.
  const target = RANKING ? { throughput: '>= 0.5', p99: 'p99 < 25 ms' } : { throughput: '>= 0.7', p99: "p99 <= 2x the baseline's" };
  console.log(`\n${kind}, ${RANKING ? `ranking tasks of ${RANKING_SIZE}` : 'pairs'}: ${RATERS} raters, pool ${POOL}, ${SECONDS} s per run, load generator ${SEPARATE_CLIENT ? 'in its own process' : 'in the app\'s process'}, load average ${os.loadavg()[0]!.toFixed(1)}`);
  console.log(`  (a) throughput     app ${f(a.app)} ${unit}/s   baseline ${f(a.base)} ${unit}/s   ratio ${(a.app / a.base).toFixed(2)} (target ${target.throughput})`);
  console.log(`  (b) latency @${RATE}/s  app p50 ${f(b.app.p50)} ms p99 ${f(b.app.p99)} ms, ${(b.app.p99 / b.base.p99).toFixed(2)}x the baseline's p99 (target ${target.p99}; ${b.app.sent} sent, ${b.app.late} found every rater busy)`);
  console.log(`                      baseline p50 ${f(b.base.p50)} ms p99 ${f(b.base.p99)} ms (claim + judge transactions)`);
}

async function run(kind: string, app: FastifyInstance, raw: SqlRunner): Promise<void> {
  const address = await listen(app);
  const base = await baseline('throughput', raw, app);
  const appA = await throughHttp('throughput', app, address);
  const baseB = await baseline('latency', raw, app);
  const appB = await throughHttp('latency', app, address);
  report(kind, { app: appA, base: base as number }, { app: appB, base: baseB as LatencyResult });
}

async function benchPostgres(): Promise<void> {
  const url = await freshBenchDatabase('juxta_bench_rating');
  const app = await buildApp(loadConfig({ ...ENV, DATABASE_URL: url }), { logger: false });
  // The baseline's own pool, the same size and settings as the app's.
  const pool = new pg.Pool({ connectionString: url, max: POOL, ...POOL_OPTIONS });
  await run('Postgres', app, sqlRunner({ pool }));
  await pool.end();
  await app.close();
}

async function benchPglite(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'juxta-bench-'));
  const app = await buildApp(loadConfig({ ...ENV, DATA_DIR: dir }), { logger: false });
  // PGlite is one connection: the baseline's transactions queue behind each other, as the app's do.
  await run('PGlite', app, sqlRunner({ pglite: app.ctx.db.pglite! }));
  await app.close();
  rmSync(dir, { recursive: true, force: true });
}

if (args.only !== 'pglite') await benchPostgres();
if (args.only !== 'postgres') await benchPglite();
