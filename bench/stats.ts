// Stats endpoint at scale: tsx bench/stats.ts (Postgres; BENCH_DATABASE_URL, default the local server).
// Seeds 1,000,000 judgments over 50 models in its own database with generate_series, then times
// GET /api/campaigns/:id/stats through HTTP with 1,000 bootstrap rounds, next to the SQL reads alone.
// BENCH_PROMPTS=n seeds n prompts x 1,225 pairs x 3 judgments instead of 273; BENCH_PGLITE=1 runs it on
// PGlite in a temporary directory; BENCH_REUSE=1 keeps the Postgres database of an earlier run when it
// holds the same number of judgments (seeding a million rows takes minutes); BENCH_SEED_ONLY=1 seeds (or finds) the
// database and stops there, so the seeding can run niced outside a benchmark lock. BENCH_TASK=ranking seeds a ranking
// campaign instead: BENCH_RANKINGS (250,000) rankings of K = 4 (1.5 M derived pairs) over BENCH_MODELS (8) models,
// k = 3 per task, each ranking ordered by hidden model strengths plus noise, cards shown in a random order.
// BENCH_SAVE=file writes the last timed request's reply there (throughputPerHour, which reads the clock, left out):
// two runs' files are identical when a change to the endpoint leaves its figures as they were.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { buildApp } from '../server/app';
import { DEFAULT_REVIEW_THRESHOLDS } from '../server/contract/campaign';
import { loadConfig } from '../server/config';
import { readCampaignRaters, readPackedComparisons, readPackedJudgments, readPackedResponses } from '../server/db/repositories/stats';
import { rankingText } from '../server/db/sql/ranking-pairs';
import { hashSecret } from '../server/services/auth/secrets';
import { agreementPanel } from '../server/services/stats/agreement-panel';
import { readJudgmentTable } from '../server/services/stats/judgment-table';
import { leaderboardPanel } from '../server/services/stats/leaderboard-panel';
import { progressPanel } from '../server/services/stats/progress-panel';
import { rankingAgreement } from '../server/services/stats/ranking-agreement';
import { withRankingRaterFigures } from '../server/services/stats/ranking-panel';
import { rankingUnits } from '../server/services/stats/ranking-units';
import { raterTable } from '../server/services/stats/rater-table';
import { referencePanel } from '../server/services/stats/reference-panel';

const SERVER = process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const RANKING = process.env.BENCH_TASK === 'ranking';
// BENCH_TAG (as bench:export reads it): a suffix for the database's name, so two people's runs do not drop each other's.
const DB_NAME = `${RANKING ? 'juxta_bench_stats_ranking' : 'juxta_bench_stats'}${process.env.BENCH_TAG ? `_${process.env.BENCH_TAG}` : ''}`;
const MODELS = Number(process.env.BENCH_MODELS ?? (RANKING ? 8 : 50));
const K_RANKED = 4;
const RANKINGS = Number(process.env.BENCH_RANKINGS ?? 250_000);
// Pairs: 273 prompts x 1,225 model pairs x k = 3: 1,003,275 judgments. Rankings: one task of 4 per prompt, k = 3.
const PROMPTS = RANKING ? Math.ceil(RANKINGS / 3) : Number(process.env.BENCH_PROMPTS ?? 273);
const ON_PGLITE = process.env.BENCH_PGLITE === '1';
const RATERS = 100;
const K = 3;
const ROUNDS = 1000;

function urlFor(name: string): string {
  const url = new URL(SERVER);
  url.pathname = `/${name}`;
  return url.toString();
}

async function recreateDatabase(): Promise<void> {
  const admin = new pg.Client({ connectionString: SERVER });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${DB_NAME} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${DB_NAME}`);
  await admin.end();
}

/** Everything in SQL: hidden model strengths decide each judgment; 10% ties, 3% both bad. */
async function seed(run: (sql: string) => Promise<unknown>, campaignId: string, adminId: string, token: string): Promise<void> {
  const design = JSON.stringify({
    scale: { allowTie: true, allowBothBad: true, strengthLevels: [] },
    criteria: [],
    rationale: { mode: 'off', minLength: 0 },
    ...(RANKING ? { task: { type: 'ranking', size: K_RANKED } } : {}),
  });
  const statements = [
    `SELECT setseed(0.42)`,
    `INSERT INTO "User" (id, email, name, role) VALUES ('${adminId}', 'bench-admin@juxta.test', 'Bench admin', 'ADMIN')`,
    `INSERT INTO "Session" (id, "tokenHash", "userId", "expiresAt") VALUES (gen_random_uuid(), '${hashSecret(token)}', '${adminId}', now() + interval '1 day')`,
    `INSERT INTO "Campaign" (id, name, design, pairing, "votesPerComparison", seed, "updatedAt") VALUES ('${campaignId}', 'Bench', '${design}', '{"kind":"all"}', ${K}, 'bench', now())`,
    `INSERT INTO "CampaignGuideline" ("campaignId", version, instructions, design) VALUES ('${campaignId}', 1, '', '${design}')`,
    `INSERT INTO "Import" (id, "campaignId", format, status) VALUES ('${campaignId}', '${campaignId}', 'native', 'PUBLISHED')`,
    `INSERT INTO "User" (id, email, name, role) SELECT gen_random_uuid(), 'rater-' || r || '@juxta.test', 'Rater ' || r, 'RATER' FROM generate_series(0, ${RATERS - 1}) r`,
    `INSERT INTO "CampaignMember" ("campaignId", "userId") SELECT '${campaignId}', id FROM "User" WHERE role = 'RATER'`,
    `INSERT INTO "Prompt" ("campaignId", key, context, "importId") SELECT '${campaignId}', 'p' || p, '[{"role":"user","content":"Question"}]', '${campaignId}' FROM generate_series(1, ${PROMPTS}) p`,
    ...(RANKING ? rankingStatements(campaignId) : pairStatements(campaignId)),
    `ANALYZE`,
  ];
  for (const sql of statements) await run(sql);
}

/** Every model answers every prompt; every pair of them is a comparison with k judgments. */
function pairStatements(campaignId: string): string[] {
  return [
    `INSERT INTO "Response" ("campaignId", "promptId", key, model, content, "importId")
       SELECT '${campaignId}', p.id, 'model:' || m, 'model-' || lpad(m::text, 2, '0'), repeat('answer ', 20 + m), '${campaignId}' FROM "Prompt" p, generate_series(0, ${MODELS - 1}) m`,
    `INSERT INTO "Comparison" ("campaignId", "promptId", "responseAId", "responseBId", "modelA", "modelB", target, submitted, "importId")
       SELECT '${campaignId}', a."promptId", a.id, b.id, a.model, b.model, ${K}, ${K}, '${campaignId}' FROM "Response" a JOIN "Response" b ON b."promptId" = a."promptId" AND a.model < b.model`,
    `CREATE TEMP TABLE rater_no AS SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM "User" WHERE role = 'RATER'`,
    `INSERT INTO "Assignment" (id, "campaignId", "comparisonId", "raterId", "leftIsA", "guidelineVersion", status, "issuedAt", "expiresAt", "closedAt")
       SELECT gen_random_uuid(), '${campaignId}', c.id, rn.id, random() < 0.5, 1, 'SUBMITTED', now() - interval '1 day', now(), now()
       FROM "Comparison" c, generate_series(0, ${K - 1}) v JOIN rater_no rn ON true
       WHERE rn.n = (c.id * 7 + v * 31) % ${RATERS}`,
    `INSERT INTO "Judgment" ("assignmentId", "activeAssignmentId", "campaignId", "comparisonId", "raterId", choice, "leftIsA", "timeMs", "idempotencyKey", "guidelineVersion", "createdAt")
       SELECT a.id, a.id, a."campaignId", a."comparisonId", a."raterId",
         (CASE WHEN u < 0.10 THEN 'TIE' WHEN u < 0.13 THEN 'BOTH_BAD'
               WHEN random() < 1 / (1 + exp((substr(rb.model, 7)::int - substr(ra.model, 7)::int) / 15.0)) THEN 'A' ELSE 'B' END)::"Choice", a."leftIsA",
         (3000 + random() * 60000)::int, 'k-' || a.id, 1, now() - random() * interval '30 days'
       FROM (SELECT *, random() AS u FROM "Assignment") a
       JOIN "Comparison" c ON c.id = a."comparisonId" JOIN "Response" ra ON ra.id = c."responseAId" JOIN "Response" rb ON rb.id = c."responseBId"`,
  ];
}

/**
 * Four consecutive models (from the prompt's number, mod MODELS) answer each prompt, ranked in one task with k = 3
 * rankings: each orders the slots by model number / 15 plus a logistic noise, one card per group; the cards are
 * shown in a random order per assignment.
 */
function rankingStatements(campaignId: string): string[] {
  return [
    `INSERT INTO "Response" ("campaignId", "promptId", key, model, content, "importId")
       SELECT '${campaignId}', p.id, 'model:' || m, 'model-' || lpad(m::text, 2, '0'), repeat('answer ', 20 + m), '${campaignId}'
       FROM "Prompt" p, LATERAL (SELECT (p.id + j) % ${MODELS} AS m FROM generate_series(0, ${K_RANKED - 1}) j) models`,
    `INSERT INTO "Comparison" ("campaignId", "promptId", "responseAId", "responseBId", "modelA", "modelB", slots, target, submitted, "importId")
       SELECT '${campaignId}', s."promptId", s.ids[1], s.ids[2], s.models[1], s.models[2], s.ids, ${K}, ${K}, '${campaignId}'
       FROM (SELECT "promptId", array_agg(id ORDER BY key) AS ids, array_agg(model ORDER BY key) AS models FROM "Response" GROUP BY "promptId") s`,
    `CREATE TEMP TABLE rater_no AS SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM "User" WHERE role = 'RATER'`,
    `INSERT INTO "Assignment" (id, "campaignId", "comparisonId", "raterId", "leftIsA", "shownOrder", "guidelineVersion", status, "issuedAt", "expiresAt", "closedAt")
       SELECT gen_random_uuid(), '${campaignId}', c.id, rn.id, true,
         (SELECT array_agg(x ORDER BY random()) FROM generate_series(0, ${K_RANKED - 1}) x WHERE c.id IS NOT NULL),
         1, 'SUBMITTED', now() - interval '1 day', now(), now()
       FROM "Comparison" c, generate_series(0, ${K - 1}) v JOIN rater_no rn ON true
       WHERE rn.n = (c.id * 7 + v * 31) % ${RATERS}`,
    `INSERT INTO "Judgment" ("assignmentId", "activeAssignmentId", "campaignId", "comparisonId", "raterId", choice, ranking, "rankingText", "shownOrder", "leftIsA", "timeMs", "idempotencyKey", "guidelineVersion", "createdAt")
       SELECT a.id, a.id, a."campaignId", a."comparisonId", a."raterId",
         (CASE WHEN array_position(r.order_, 0) < array_position(r.order_, 1) THEN 'A' ELSE 'B' END)::"Choice", r.ranking, ${rankingText('r.ranking')}, a."shownOrder", true,
         (3000 + random() * 60000)::int, 'k-' || a.id, 1, now() - random() * interval '30 days'
       FROM "Assignment" a JOIN "Comparison" c ON c.id = a."comparisonId",
       LATERAL (
         SELECT jsonb_agg(jsonb_build_array(s.slot) ORDER BY s.score DESC) AS ranking, array_agg(s.slot ORDER BY s.score DESC) AS order_
         FROM (SELECT (u.n - 1)::int AS slot, substr(rs.model, 7)::int / 15.0 + ln(1 / (random() + 1e-9) - 1 + 1e-9) AS score
               FROM unnest(c.slots) WITH ORDINALITY u(id, n) JOIN "Response" rs ON rs.id = u.id WHERE a.id IS NOT NULL) s
       ) r`,
  ];
}

/**
 * The endpoint's work split into phases, each alone: every SQL read (query and transfer), then the reads side by side
 * with decoding and counting (readJudgmentTable), then each panel. Where the time goes; the end-to-end figure is what counts.
 */
async function timePhases(db: Parameters<typeof readPackedResponses>[0], campaignId: string): Promise<[string, number][]> {
  const phases: [string, number][] = [];
  const timed = async <T>(name: string, work: () => T | Promise<T>): Promise<T> => {
    const t0 = performance.now();
    const result = await work();
    phases.push([name, performance.now() - t0]);
    return result;
  };
  const since = new Date(Date.now() - 3_600_000);
  await timed('SQL: responses', () => readPackedResponses(db, campaignId));
  await timed('SQL: comparisons', () => readPackedComparisons(db, campaignId));
  const packed = await timed('SQL: judgments', () => readPackedJudgments(db, campaignId, null, since));
  await timed('SQL: raters', () => readCampaignRaters(db, campaignId, packed.map((row) => row.raterId)));
  const table = await timed('readJudgmentTable (reads side by side, decoding, counting)', () => readJudgmentTable(db, campaignId, null, since));
  const options = { rounds: ROUNDS, seed: 1 };
  const rankings = await timed('ranking units', () => rankingUnits(table));
  await timed('leaderboard (Bradley-Terry, bootstrap)', () => leaderboardPanel(table, { ...options, bothBad: 'tie' }, rankings));
  await timed('agreement on pairs (Cohen on the stats thread, awaited)', () => agreementPanel(table, { ...options, k: K, withStrength: false }));
  await timed('progress', () => progressPanel(table, rankings));
  const pairRaters = await timed('rater table', () => raterTable(table, 'bench', DEFAULT_REVIEW_THRESHOLDS));
  if (rankings) {
    await timed("ranking agreement (Kendall's W, alpha on ranks)", () => rankingAgreement(rankings, options));
    await timed('ranking rater figures (first card, gold tau)', () => withRankingRaterFigures(pairRaters, rankings, DEFAULT_REVIEW_THRESHOLDS));
  }
  await timed('reference panel', () => referencePanel(table, { ...options, bothBad: 'tie' }));
  return phases;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/**
 * CPU time of this process's main thread and of its other threads together (the stats thread, the garbage collector's
 * helpers, libuv), in ms, from /proc (Linux; null elsewhere): which thread holds the end of a request, even when the
 * machine is too loaded for wall-clock figures to say.
 */
function threadCpuMs(): { main: number; others: number } | null {
  try {
    const ticks = { main: 0, others: 0 };
    for (const tid of readdirSync('/proc/self/task')) {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      // Fields after the command's closing parenthesis: state is field 3, utime 14 and stime 15.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const used = Number(fields[11]) + Number(fields[12]);
      if (Number(tid) === process.pid) ticks.main += used;
      else ticks.others += used;
    }
    // USER_HZ is 100 on Linux.
    return { main: ticks.main * 10, others: ticks.others * 10 };
  } catch {
    return null;
  }
}

const mb = (kb: number) => `${(kb / 1024).toFixed(0)} MB`;

async function existingJudgments(): Promise<number> {
  const client = new pg.Client({ connectionString: urlFor(DB_NAME) });
  try {
    await client.connect();
    const { rows } = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM "Judgment"`);
    return rows[0]!.n;
  } catch {
    return -1;
  } finally {
    await client.end().catch(() => {});
  }
}

async function main(): Promise<void> {
  const judgments = RANKING ? PROMPTS * K : PROMPTS * ((MODELS * (MODELS - 1)) / 2) * K;
  const dataDir = ON_PGLITE ? mkdtempSync(path.join(tmpdir(), 'juxta-bench-stats-')) : null;
  const reuse = !ON_PGLITE && process.env.BENCH_REUSE === '1' && (await existingJudgments()) === judgments;
  if (!ON_PGLITE && !reuse) await recreateDatabase();
  const config = loadConfig({
    ...(dataDir ? { DATA_DIR: dataDir } : { DATABASE_URL: urlFor(DB_NAME) }),
    LOG_LEVEL: 'silent',
    PUBLIC_URL: 'http://juxta.bench',
    JUXTA_DEMO: 'false',
  });
  const app = await buildApp(config, { logger: false });
  const campaignId = '00000000-0000-4000-8000-0000000be4c0';
  const adminId = '00000000-0000-4000-8000-0000000ad410';
  const token = 'bench-session-token';
  const { pool, pglite } = app.ctx.db;
  const execute = (sql: string) => (pglite ? pglite.exec(sql) : pool!.query(sql));
  const started = performance.now();
  if (!reuse) await seed(execute, campaignId, adminId, token);
  const seeded = reuse ? 'reused' : `seeded in ${((performance.now() - started) / 1000).toFixed(0)} s`;
  if (process.env.BENCH_SEED_ONLY === '1') {
    console.log(`${DB_NAME}: ${seeded}; BENCH_SEED_ONLY=1, nothing timed`);
    await app.close();
    return;
  }
  console.log(`${judgments.toLocaleString('en')} ${RANKING ? `rankings of ${K_RANKED} (${(judgments * 6).toLocaleString('en')} derived pairs)` : 'judgments'}, ${MODELS} models, ${RATERS} raters on ${ON_PGLITE ? 'PGlite' : 'Postgres'} (${seeded})`);

  // Baseline: the SQL reads alone (as the endpoint runs them: responses, comparisons and judgments side by side, then raters).
  const db = app.ctx.db;
  const sqlAlone = async () => {
    const t0 = performance.now();
    const [, , packed] = await Promise.all([
      readPackedResponses(db, campaignId),
      readPackedComparisons(db, campaignId),
      readPackedJudgments(db, campaignId, null, new Date(Date.now() - 3_600_000)),
    ]);
    await readCampaignRaters(db, campaignId, packed.map((row) => row.raterId));
    return performance.now() - t0;
  };

  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  const endToEnd = async () => {
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const threads0 = threadCpuMs();
    const res = await fetch(`${address}/api/campaigns/${campaignId}/stats?rounds=${ROUNDS}`, { headers: { cookie: `juxta_session=${token}` } });
    if (res.status !== 200) throw new Error(`stats answered ${res.status}: ${await res.text()}`);
    const body = (await res.json()) as { progress: { judgments: number; throughputPerHour?: number }; leaderboard: unknown[]; bootstrap: { dropped: number; unit?: string } };
    const cpu = process.cpuUsage(cpu0);
    const threads1 = threadCpuMs();
    const threads = threads0 && threads1 ? { main: threads1.main - threads0.main, others: threads1.others - threads0.others } : null;
    return { ms: performance.now() - t0, cpuMs: (cpu.user + cpu.system) / 1000, threads, body };
  };

  await sqlAlone();
  const rssBefore = process.resourceUsage().maxRSS;
  const baseline: number[] = [];
  const full: number[] = [];
  const cpu: number[] = [];
  const mainCpu: number[] = [];
  const otherCpu: number[] = [];
  // The first request also starts the stats thread and warms the JIT: reported, not in the median.
  let last = await endToEnd();
  const first = last.ms;
  for (let run = 0; run < 3; run++) {
    baseline.push(await sqlAlone());
    last = await endToEnd();
    full.push(last.ms);
    cpu.push(last.cpuMs);
    if (last.threads) {
      mainCpu.push(last.threads.main);
      otherCpu.push(last.threads.others);
    }
  }
  const rssPeak = process.resourceUsage().maxRSS;
  if (process.env.BENCH_SAVE) {
    delete last.body.progress.throughputPerHour;
    writeFileSync(process.env.BENCH_SAVE, JSON.stringify(last.body, null, 1));
  }
  const phases = await timePhases(db, campaignId);
  console.log(`GET /api/campaigns/:id/stats, ${last.body.progress.judgments.toLocaleString('en')} counted ${RANKING ? 'rankings (progress counts a ranking once, not its pairs)' : 'judgments'}, ${ROUNDS} bootstrap rounds over ${last.body.bootstrap.unit ?? 'judgment'}s (${last.body.bootstrap.dropped} dropped)`);
  console.log(`  end to end through HTTP: ${median(full).toFixed(0)} ms median of 3 (${full.map((ms) => ms.toFixed(0)).join(', ')})`);
  console.log(`  first request after start (starts the stats thread, cold JIT): ${first.toFixed(0)} ms`);
  console.log(`  CPU time of this process, all threads (decoding, statistics, JSON; PGlite's queries too): ${median(cpu).toFixed(0)} ms median`);
  if (mainCpu.length > 0) {
    console.log(`    of which the main thread (reads' decoding, panels, JSON): ${median(mainCpu).toFixed(0)} ms median; other threads (stats thread, GC helpers): ${median(otherCpu).toFixed(0)} ms (10 ms ticks)`);
  }
  console.log(`  baseline, SQL reads alone: ${median(baseline).toFixed(0)} ms median of 3 (${baseline.map((ms) => ms.toFixed(0)).join(', ')})`);
  console.log(`  peak RSS: ${mb(rssPeak)} (${mb(rssBefore)} before the first timed request)`);
  console.log(`  phases, one after another in this thread (the endpoint overlaps the reads, and agreement with the rest):`);
  for (const [name, ms] of phases) console.log(`    ${name.padEnd(58)} ${ms.toFixed(0).padStart(6)} ms`);
  console.log(`  load average during the run: ${loadavg().map((l) => l.toFixed(1)).join(', ')} on ${availableParallelism()} cores`);
  await app.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}

await main();
