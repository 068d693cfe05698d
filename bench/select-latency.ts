// bench:select:latency — is active selection's claim within 10% of uniform's (issue 19)? Times the claim alone
// (claimNextAssignment: the rater's one short transaction) on one uniform and one active campaign of bench:select's
// size, filled part way by the simulated raters, with nothing else on the event loop: the priority refresh runs
// between blocks of claims, never beside them (in production it runs on one instance's schedule, off most claims),
// and the judgments that fill the campaigns are made beforehand. Two steps:
//   nice -n 15 npm run bench:select:latency -- fill           a fresh juxta_bench_select_latency (or BENCH_DATABASE_URL)
//                                                             with both campaigns judged to FILL judgments, outside the lock
//   flock /work/bench.lock npm run bench:select:latency        the timed claims, on the filled database
// Each timed claim: the rater's shown lease is skipped (untimed: the place goes back, the rater never sees that
// comparison again), then claimNextAssignment tops the rater's queue up to two. Blocks of BLOCK claims alternate
// between the campaigns, so load drift falls on both; CONCURRENCY raters claim at once. Prints p50 / p90 / p99 per
// mode, the ratio, and the arms of the claims each campaign made. EXPLAIN=1 also prints EXPLAIN ANALYZE of the claim
// statements for one rater of the active campaign, each in a rolled-back transaction.
// Env: FILL (12000), CLAIMS (2000 per mode), BLOCK (100), CONCURRENCY (6), EXPLAIN.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { buildApp } from '../server/app';
import { loadConfig } from '../server/config';
import { RATING_SQL } from '../server/db/sql/rating';
import { releaseAssignment } from '../server/db/repositories/rating';
import type { ServiceContext } from '../server/services/context';
import { claimNextAssignment } from '../server/services/rating/claim-next-assignment';
import { refreshCampaignPriorities } from '../server/services/selection/refresh-pair-priorities';
import type { TAssignmentQueue } from '../server/contract/rater';
import { freshBenchDatabase } from './bench-database';
import { run, WORKERS, type Mode } from './select-run';
import { quantile, trueRatings } from './select-world';

const FILL = Number(process.env.FILL ?? 12_000);
const CLAIMS = Number(process.env.CLAIMS ?? 2000);
const BLOCK = Number(process.env.BLOCK ?? 100);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 6);
const DEFAULT_URL = 'postgresql://postgres@127.0.0.1:5432/juxta_bench_select_latency';

async function main(): Promise<void> {
  const filling = process.argv.includes('fill');
  const url = filling ? await freshBenchDatabase('juxta_bench_select_latency') : (process.env.BENCH_DATABASE_URL ?? DEFAULT_URL);
  const config = loadConfig({ DATABASE_URL: url, DB_POOL_SIZE: String(Math.max(WORKERS, CONCURRENCY) + 10), LOG_LEVEL: 'silent', PUBLIC_URL: 'http://juxta.bench', JUXTA_DEMO: 'false' });
  const app = await buildApp(config, { logger: false });
  try {
    if (filling) await fill(app.ctx);
    else await measure(app.ctx, url);
  } finally {
    await app.close();
  }
}

async function fill(ctx: ServiceContext): Promise<void> {
  const models = trueRatings();
  for (const mode of ['uniform', 'active'] as const) {
    const t0 = performance.now();
    const r = await run(ctx, mode, 1, models, FILL);
    console.log(`${mode}: ${r.judgments ?? FILL} judgments (${r.judgments === null ? 'filled' : 'answered first'}), arms ${JSON.stringify(r.arms)}, ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  }
}

interface Campaign {
  id: string;
  mode: Mode;
  raters: string[];
  queues: Map<string, TAssignmentQueue | null>;
  ms: number[];
}

async function measure(ctx: ServiceContext, url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const rows = (await client.query<{ id: string; mode: Mode }>(`SELECT id, selection::text AS mode FROM "Campaign" ORDER BY "createdAt"`)).rows;
    const campaigns: Campaign[] = [];
    for (const mode of ['uniform', 'active'] as const) {
      const row = rows.find((r) => r.mode === mode);
      if (!row) throw new Error(`no ${mode} campaign in ${url}: run "npm run bench:select:latency -- fill" first`);
      const raters = (await client.query<{ userId: string }>(`SELECT "userId" FROM "CampaignMember" WHERE "campaignId" = $1 ORDER BY "userId"`, [row.id])).rows.map((r) => r.userId);
      campaigns.push({ id: row.id, mode, raters, queues: new Map(), ms: [] });
    }
    const [uniform, active] = campaigns as [Campaign, Campaign];
    const judged = async (c: Campaign) => (await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM "Judgment" WHERE "campaignId" = $1`, [c.id])).rows[0]!.n;
    console.log(`uniform campaign ${await judged(uniform)} judgments, active ${await judged(active)}; ${CLAIMS} claims per mode in blocks of ${BLOCK}, ${CONCURRENCY} at once`);
    // Fresh priorities before the active campaign's first claim (untimed): the refresh never runs beside a timed claim.
    await refreshCampaignPriorities(ctx, active.id);
    const startedAt = new Date();
    // Each rater's queue as it stands (untimed), so every timed claim finds one lease to keep and tops up one.
    for (const c of campaigns) for (const r of c.raters) c.queues.set(r, (await claimNextAssignment(ctx, r, c.id, { prefetch: true, explainInactive: false })).next);
    if (process.env.EXPLAIN) for (const c of campaigns) await explain(client, c, ctx);
    for (let done = 0; done < CLAIMS; done += BLOCK) {
      for (const c of campaigns) {
        if (c.mode === 'active') await refreshCampaignPriorities(ctx, c.id);
        await block(ctx, c, Math.min(BLOCK, CLAIMS - done));
      }
    }
    console.log(`cat /proc/loadavg at the end: ${(await import('node:fs')).readFileSync('/proc/loadavg', 'utf8').trim()}`);
    for (const c of campaigns) {
      const arms = (await client.query<{ arm: string; n: number }>(
        `SELECT arm::text AS arm, count(*)::int AS n FROM "Assignment" WHERE "campaignId" = $1 AND "issuedAt" >= $2 GROUP BY 1 ORDER BY 1`,
        [c.id, startedAt],
      )).rows;
      console.log(
        `${c.mode.padEnd(8)} claim p50 / p90 / p99 ${[0.5, 0.9, 0.99].map((q) => quantile(c.ms, q).toFixed(1)).join(' / ')} ms over ${c.ms.length} claims; ` +
          `arms of its new leases ${JSON.stringify(Object.fromEntries(arms.map((a) => [a.arm, a.n])))}`,
      );
    }
    const ratio = (q: number) => ((quantile(active.ms, q) / quantile(uniform.ms, q)) * 100).toFixed(0);
    console.log(`active / uniform: p50 ${ratio(0.5)}%, p99 ${ratio(0.99)}% (target <= 110%)`);
  } finally {
    await client.end();
  }
}

/** `n` claims on the campaign, CONCURRENCY raters at a time (each worker takes its share of the raters in turn). */
async function block(ctx: ServiceContext, c: Campaign, n: number): Promise<void> {
  let left = n;
  const worker = async (share: string[]) => {
    for (let i = 0, idle = 0; left > 0 && idle < share.length; i++) {
      const rater = share[i % share.length]!;
      const queue = c.queues.get(rater);
      idle = queue ? 0 : idle + 1;
      if (!queue) continue;
      left--;
      await releaseAssignment(ctx.db, { assignmentId: queue.assignment.id, raterId: rater, status: 'SKIPPED', flag: null, now: ctx.clock.now() });
      const t0 = performance.now();
      const { next } = await claimNextAssignment(ctx, rater, c.id, { prefetch: true, explainInactive: false });
      c.ms.push(performance.now() - t0);
      c.queues.set(rater, next);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, (_, w) => worker(c.raters.filter((_, i) => i % CONCURRENCY === w))));
}

/**
 * EXPLAIN ANALYZE of the campaign's claim statements (the id-order claim; and by priority, in an active campaign) for
 * one rater, each in a transaction rolled back after it; the rater's shown lease is skipped first in the same
 * transaction, so the claim has a place to fill.
 */
async function explain(client: pg.Client, c: Campaign, ctx: ServiceContext): Promise<void> {
  const { leaseSeconds } = (await client.query<{ leaseSeconds: number }>(`SELECT "leaseSeconds" FROM "Campaign" WHERE id = $1`, [c.id])).rows[0]!;
  const rater = c.raters.find((r) => c.queues.get(r))!;
  const now = ctx.clock.now();
  const statements = [['claim (id order)', RATING_SQL.claim, 'uniform'], ...(c.mode === 'active' ? [['claimByPriority', RATING_SQL.claimByPriority, 'active']] : [])] as const;
  for (const [name, sql, arm] of statements) {
    await client.query('BEGIN');
    await client.query(RATING_SQL.release, [c.queues.get(rater)!.assignment.id, rater, 'SKIPPED', null, null, null, now]);
    const plan = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, [c.id, rater, now, randomUUID(), true, false, null, leaseSeconds, arm]);
    await client.query('ROLLBACK');
    console.log(`--- ${c.mode} campaign: ${name}\n${plan.rows.map((r) => r['QUERY PLAN']).join('\n')}`);
  }
}

await main();
