// bench:judge — the rater loop through HTTP next to a baseline of the same SQL transactions (claim
// with SKIP LOCKED and lease; judgment and counters) sent straight to the database, same raters, same
// pool size. (a) throughput, 64 raters, no think time; (b) judge-request latency at an open-loop 200/s.
// Postgres (BENCH_DATABASE_URL, default a juxta_bench_rating database it recreates) and PGlite.
//   tsx bench/judge.ts [--seconds 8] [--raters 64] [--rate 200] [--only postgres|pglite]
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { buildApp } from '../server/app';
import { loadConfig } from '../server/config';
import { RATING_SQL } from '../server/db/repositories/rating';
import { sqlRunner, type SqlRunner } from '../server/db/sql-runner';
import { seedComparisons } from '../tests/helpers/seed-comparisons';
import { JsonClient } from '../tests/load/http-client';
import { createRaters } from '../tests/load/rater-pool';

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '8' },
    raters: { type: 'string', default: '64' },
    rate: { type: 'string', default: '200' },
    pool: { type: 'string', default: '10' },
    only: { type: 'string' },
  },
});
const SECONDS = Number(args.seconds);
const RATERS = Number(args.raters);
const RATE = Number(args.rate);
const POOL = Number(args.pool);

type Rater = { id: string; session: string };

/** One rater's unit of work: claim if needed, judge; resolves with the judge latency or null when nothing is left. */
interface Loop {
  /** Prepares a rater (first claim); returns a step function. */
  start(rater: Rater, campaignId: string): Promise<() => Promise<number | null>>;
}

/** The baseline: the repository's claim and judge statements straight to the driver — no HTTP, auth, validation or payloads. */
function rawLoop(db: SqlRunner): Loop {
  const claim = (rater: Rater, campaignId: string) =>
    db.transaction(async (query) => {
      const now = new Date();
      await query(RATING_SQL.reclaimAndLockRater, [campaignId, rater.id, now, now]);
      const id = randomUUID();
      const rows = await query(RATING_SQL.claim, [campaignId, rater.id, now, id, Math.random() < 0.5, false, null, 600]);
      return rows.length > 0 ? id : null;
    });
  return {
    async start(rater, campaignId) {
      let current = await claim(rater, campaignId);
      return async () => {
        if (!current) return null;
        const t0 = performance.now();
        const rows = await db.query(RATING_SQL.judge, [current, rater.id, campaignId, 'A', null, null, null, 1000, randomUUID(), 1, new Date()]);
        if (rows.length !== 1) throw new Error('baseline judgment refused');
        current = await claim(rater, campaignId);
        return performance.now() - t0;
      };
    },
  };
}

function httpLoop(http: JsonClient): Loop {
  return {
    async start(rater, campaignId) {
      const first = await http.request('GET', `/api/campaigns/${campaignId}/assignments/next`, rater.session);
      let current: string | null = first.status === 200 ? first.body.assignment.id : null;
      return async () => {
        if (!current) return null;
        const t0 = performance.now();
        const res = await http.request('POST', `/api/assignments/${current}/judgment`, rater.session, {
          choice: 'left',
          timeMs: 1000,
          idempotencyKey: randomUUID(),
        });
        const ms = performance.now() - t0;
        if (res.status !== 200) throw new Error(`judgment answered ${res.status}: ${res.text}`);
        current = res.body.next?.assignment.id ?? null;
        return ms;
      };
    },
  };
}

async function prepare(loop: Loop, app: FastifyInstance): Promise<(() => Promise<number | null>)[]> {
  // Enough work that nobody runs out: k = 3 over 3 pairs per prompt.
  const s = await seedComparisons(app.ctx.db.prisma, { prompts: Math.ceil((RATE * SECONDS * 4) / 9) + 2000, models: 3, votes: 3 });
  const raters = await createRaters(app.ctx.db.prisma, s.campaignId, RATERS);
  return Promise.all(raters.map((r) => loop.start(r, s.campaignId)));
}

/** (a) Every rater judges back to back for SECONDS; judgments per second. */
async function throughput(loop: Loop, app: FastifyInstance): Promise<number> {
  const steps = await prepare(loop, app);
  const end = performance.now() + SECONDS * 1000;
  let done = 0;
  await Promise.all(
    steps.map(async (step) => {
      while (performance.now() < end) {
        if ((await step()) === null) throw new Error('ran out of work');
        done += 1;
      }
    }),
  );
  return done / SECONDS;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** (b) Judgments sent at a steady RATE by idle raters; latency from the intended send time (no coordinated omission). */
async function latency(loop: Loop, app: FastifyInstance): Promise<{ p50: number; p99: number; sent: number; late: number }> {
  const idle = await prepare(loop, app);
  const total = RATE * SECONDS;
  const start = performance.now();
  const samples: number[] = [];
  const inflight: Promise<void>[] = [];
  let late = 0;
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    let step = idle.pop();
    if (!step) {
      late += 1; // every rater busy: the request waits for one, and that wait counts in its latency
      while (!(step = idle.pop())) await new Promise<void>((r) => setImmediate(r));
    }
    inflight.push(
      step().then((ms) => {
        if (ms === null) throw new Error('ran out of work');
        samples.push(performance.now() - due);
        idle.unshift(step!);
      }),
    );
  }
  await Promise.all(inflight);
  samples.sort((a, b) => a - b);
  const q = (p: number) => samples[Math.min(samples.length - 1, Math.floor(p * samples.length))]!;
  return { p50: q(0.5), p99: q(0.99), sent: samples.length, late };
}

async function listen(app: FastifyInstance): Promise<JsonClient> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  return new JsonClient(`http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`, app.ctx.config.publicUrl, RATERS * 2);
}

const ENV = { LOG_LEVEL: 'silent', PUBLIC_URL: 'http://juxta.bench', JUXTA_DEMO: 'false', DB_POOL_SIZE: String(POOL) };

async function freshPostgres(): Promise<string> {
  const url = process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/juxta_bench_rating';
  const u = new URL(url);
  const name = u.pathname.slice(1);
  if (!/^juxta_bench_\w+$/.test(name)) throw new Error('BENCH_DATABASE_URL must name a juxta_bench_* database: this benchmark recreates it');
  const admin = new pg.Client({ connectionString: Object.assign(new URL(url), { pathname: '/postgres' }).toString() });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  return url;
}

function report(kind: string, a: { app: number; base: number }, b: { app: Awaited<ReturnType<typeof latency>>; base: Awaited<ReturnType<typeof latency>> }): void {
  const f = (x: number) => x.toFixed(1);
  console.log(`\n${kind}: ${RATERS} raters, pool ${POOL}, ${SECONDS} s per run, load average ${os.loadavg()[0]!.toFixed(1)}`);
  console.log(`  (a) throughput     app ${f(a.app)} judgments/s   baseline ${f(a.base)} judgments/s   ratio ${(a.app / a.base).toFixed(2)} (target >= 0.5)`);
  console.log(`  (b) latency @${RATE}/s  app p50 ${f(b.app.p50)} ms p99 ${f(b.app.p99)} ms (target p99 < 25 ms; ${b.app.sent} sent, ${b.app.late} found every rater busy)`);
  console.log(`                      baseline p50 ${f(b.base.p50)} ms p99 ${f(b.base.p99)} ms (claim + judge transactions)`);
}

async function benchPostgres(): Promise<void> {
  const url = await freshPostgres();
  const app = await buildApp(loadConfig({ ...ENV, DATABASE_URL: url }), { logger: false });
  const http = await listen(app);
  // The baseline's own pool, the same size as the app's.
  const pool = new pg.Pool({ connectionString: url, max: POOL });
  const raw = sqlRunner({ pool });
  const base = await throughput(rawLoop(raw), app);
  const appA = await throughput(httpLoop(http), app);
  const baseB = await latency(rawLoop(raw), app);
  const appB = await latency(httpLoop(http), app);
  report('Postgres', { app: appA, base }, { app: appB, base: baseB });
  http.close();
  await pool.end();
  await app.close();
}

async function benchPglite(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'juxta-bench-'));
  const app = await buildApp(loadConfig({ ...ENV, DATA_DIR: dir }), { logger: false });
  const http = await listen(app);
  // PGlite is one connection: the baseline's transactions queue behind each other, as the app's do.
  const raw = sqlRunner({ pglite: app.ctx.db.pglite! });
  const base = await throughput(rawLoop(raw), app);
  const appA = await throughput(httpLoop(http), app);
  const baseB = await latency(rawLoop(raw), app);
  const appB = await latency(httpLoop(http), app);
  report('PGlite', { app: appA, base }, { app: appB, base: baseB });
  http.close();
  await app.close();
  rmSync(dir, { recursive: true, force: true });
}

if (args.only !== 'pglite') await benchPostgres();
if (args.only !== 'postgres') await benchPglite();
