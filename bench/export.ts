// Export throughput: `tsx bench/export.ts [--pglite] [--comparisons N]`. Seeds N comparisons x 5 judgments
// (default 200,000 x 5 = 1,000,000 on Postgres, 20,000 x 5 on PGlite) with INSERT ... SELECT generate_series,
// then streams `raw` and `trl` through the real HTTP endpoint and, in the same run, a baseline: a keyset-paginated
// query (pages of 5,000; for trl the majority counted in SQL) writing JSON.stringify lines to a file.
// Each measured side runs in its own child process, so its peak RSS (getrusage maxrss) is its own.
import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createWriteStream, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { loadConfig, type Config } from '../server/config';
import type { Database } from '../server/db/database';

const args = process.argv.slice(2);
const option = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const usePglite = args.includes('--pglite');
const COMPARISONS = Number(option('--comparisons') ?? (usePglite ? 20_000 : 200_000));
const VOTES = 5;
const RATERS = 50;
const BASELINE_PAGE = 5000;
const ADMIN_URL = process.env.BENCH_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
// BENCH_TAG: a suffix for the database's name, so that two people's runs on one server do not drop each other's.
const BENCH_DB = `juxta_bench_export${process.env.BENCH_TAG ? `_${process.env.BENCH_TAG}` : ''}`;
const PGLITE_DIR = path.join(os.tmpdir(), 'juxta-bench-export-pglite');
const CAMPAIGN = '00000000-0000-4000-a000-000000000001';
const IMPORT = '00000000-0000-4000-a000-000000000002';

function benchConfig(): Config {
  const database = usePglite ? { DATA_DIR: PGLITE_DIR } : { DATABASE_URL: ADMIN_URL.replace(/\/[^/]*$/, `/${BENCH_DB}`) };
  return loadConfig({ ...database, LOG_LEVEL: 'silent', JUXTA_DEMO: 'false', WEB_DIST_DIR: path.join(PGLITE_DIR, 'no-web') });
}

async function run(db: Database, sql: string, params: unknown[] = []): Promise<Record<string, unknown>[]> {
  if (db.pool) return (await db.pool.query(sql, params)).rows;
  return (await db.pglite!.query<Record<string, unknown>>(sql, params)).rows;
}

const uuidOf = (prefix: string, n: string) => `('${prefix}' || lpad(to_hex(${n}), 12, '0'))::uuid`;
const raterOf = (g: string, s: string) => uuidOf('00000000-0000-4000-8000-', `((${g} + ${s} * 7) % ${RATERS}) + 1`);
const assignmentOf = (g: string, s: string) => uuidOf('00000000-0000-4000-9000-', `${g} * ${VOTES} + ${s}`);

/** Bulk seed in SQL: prompts with a ~230-byte context, two ~400-byte responses, one comparison each, k = 5 judgments. */
function seedStatements(n: number): string[] {
  const design = JSON.stringify({ scale: { allowTie: true, allowBothBad: false, strengthLevels: ['slightly', 'better', 'much better'] }, criteria: [], rationale: { mode: 'off', minLength: 0 } });
  return [
    `INSERT INTO "Campaign" (id, name, design, pairing, seed, "votesPerComparison", "updatedAt")
       VALUES ('${CAMPAIGN}', 'Export bench', '${design}', '{"kind":"all"}', 'bench-seed', ${VOTES}, now())`,
    `INSERT INTO "CampaignGuideline" ("campaignId", version, instructions, design) VALUES ('${CAMPAIGN}', 1, 'Pick the better answer.', '${design}')`,
    `INSERT INTO "Import" (id, "campaignId", format, status) VALUES ('${IMPORT}', '${CAMPAIGN}', 'native', 'PUBLISHED')`,
    `INSERT INTO "User" (id, email, name, role)
       SELECT ${uuidOf('00000000-0000-4000-8000-', 'g')}, 'bench-rater-' || g || '@bench.test', 'Rater ' || g, 'RATER' FROM generate_series(1, ${RATERS}) g`,
    `INSERT INTO "CampaignMember" ("campaignId", "userId") SELECT '${CAMPAIGN}', id FROM "User" WHERE email LIKE 'bench-rater-%'`,
    `INSERT INTO "Prompt" (id, "campaignId", key, context, "importId")
       SELECT g, '${CAMPAIGN}', 'p' || g,
         jsonb_build_array(jsonb_build_object('role', 'user', 'content', 'Question ' || g || ': ' || repeat('how would you explain this to a child? ', 5))), '${IMPORT}'
       FROM generate_series(1, ${n}) g`,
    `INSERT INTO "Response" (id, "campaignId", "promptId", key, model, content, "importId")
       SELECT 2 * g - 1 + s, '${CAMPAIGN}', g, 'model:' || s, 'model-' || ((g + s) % 4), 'Answer ' || g || '/' || s || ': ' || repeat('a reasonably long reply sentence. ', 12), '${IMPORT}'
       FROM generate_series(1, ${n}) g, generate_series(0, 1) s`,
    `INSERT INTO "Comparison" (id, "campaignId", "promptId", "responseAId", "responseBId", "modelA", "modelB", target, submitted, "importId")
       SELECT g, '${CAMPAIGN}', g, 2 * g - 1, 2 * g, 'model-' || (g % 4), 'model-' || ((g + 1) % 4), ${VOTES}, ${VOTES}, '${IMPORT}' FROM generate_series(1, ${n}) g`,
    `INSERT INTO "Assignment" (id, "campaignId", "comparisonId", "raterId", "leftIsA", "guidelineVersion", status, "issuedAt", "expiresAt", "closedAt")
       SELECT ${assignmentOf('g', 's')}, '${CAMPAIGN}', g, ${raterOf('g', 's')}, (g + s) % 2 = 0, 1, 'SUBMITTED',
         timestamptz '2025-01-01' + (s * ${n} + g) * interval '1 second', timestamptz '2025-01-02' + (s * ${n} + g) * interval '1 second',
         timestamptz '2025-01-01' + (s * ${n} + g) * interval '1 second'
       FROM generate_series(0, ${VOTES - 1}) s, generate_series(1, ${n}) g`,
    // Judgment ids follow time (every comparison's first vote, then every second...), as a live campaign interleaves them.
    `INSERT INTO "Judgment" ("assignmentId", "activeAssignmentId", "campaignId", "comparisonId", "raterId", choice, "leftIsA", strength, "timeMs",
         "idempotencyKey", "guidelineVersion", "createdAt")
       SELECT ${assignmentOf('g', 's')}, ${assignmentOf('g', 's')}, '${CAMPAIGN}', g, ${raterOf('g', 's')},
         (CASE WHEN (g * 7 + s * 3) % 10 < 6 THEN 'A' WHEN (g * 7 + s * 3) % 10 < 9 THEN 'B' ELSE 'TIE' END)::"Choice", (g + s) % 2 = 0,
         CASE WHEN (g * 7 + s * 3) % 10 < 9 THEN 1 + (g + s) % 3 END, 3000 + (g * 13 + s) % 5000,
         'k' || g || '-' || s, 1, timestamptz '2025-01-01' + (s * ${n} + g) * interval '1 second'
       FROM generate_series(0, ${VOTES - 1}) s, generate_series(1, ${n}) g ORDER BY s, g`,
    'ANALYZE',
  ];
}

async function seed(): Promise<void> {
  if (usePglite) rmSync(PGLITE_DIR, { recursive: true, force: true });
  else {
    const admin = new pg.Client({ connectionString: ADMIN_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${BENCH_DB} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${BENCH_DB}`);
    await admin.end();
  }
  // The app's modules are loaded only where needed, so the baseline process stays lean.
  const { openDatabase } = await import('../server/db/database');
  const db = await openDatabase(benchConfig());
  for (const statement of seedStatements(COMPARISONS)) await run(db, statement);
  await db.close();
}

interface Measurement {
  rows: number;
  bytes: number;
  firstByteMs: number;
  totalMs: number;
  peakRssMb: number;
  /** Server only: RSS once listening, before the export, and the sampled peaks of the JS heap and external memory. */
  readyRssMb?: number;
  peakHeapMb?: number;
  peakExternalMb?: number;
  /** Server only: first byte of the process's very first export (cold code paths); the measured one runs warm. */
  coldFirstByteMs?: number;
}

const peakRssMb = () => process.resourceUsage().maxRSS / 1024;

/** Child: the app on a port, with an API token; answers with its peak RSS when asked. */
async function serve(): Promise<void> {
  const { buildApp } = await import('../server/app');
  const { hashSecret, newSecret } = await import('../server/services/auth/secrets');
  const app = await buildApp(benchConfig(), { logger: false });
  const user = await app.ctx.db.prisma.user.create({ data: { email: `bench-admin-${randomUUID()}@bench.test`, name: 'Bench', role: 'ADMIN' } });
  const token = newSecret(app.ctx.random, 'jxt');
  await app.ctx.db.prisma.apiToken.create({ data: { name: 'bench', tokenHash: hashSecret(token), prefix: token.slice(0, 8), userId: user.id, scopes: ['export:read'] } });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address() as { port: number };
  const readyRssMb = process.memoryUsage().rss / 2 ** 20;
  let peakHeapMb = 0;
  let peakExternalMb = 0;
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    peakHeapMb = Math.max(peakHeapMb, m.heapUsed / 2 ** 20);
    peakExternalMb = Math.max(peakExternalMb, m.external / 2 ** 20);
  }, 20);
  process.on('message', async (message) => {
    if (message !== 'rss') return;
    clearInterval(sampler);
    process.send!({ peakRssMb: peakRssMb(), readyRssMb, peakHeapMb, peakExternalMb });
    await app.close();
    process.exit(0);
  });
  process.send!({ port: address.port, token });
}

/** Parent side of an HTTP measurement: read the stream to its end, counting lines. */
async function fetchExport(port: number, token: string, format: string): Promise<Omit<Measurement, 'peakRssMb'>> {
  const started = performance.now();
  const url = `http://127.0.0.1:${port}/api/campaigns/${CAMPAIGN}/export?format=${format}&asOf=${new Date().toISOString()}`;
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  if (res.status !== 200) throw new Error(`export answered ${res.status}: ${await res.text()}`);
  const reader = res.body!.getReader();
  let firstByteMs = -1;
  let rows = 0;
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (firstByteMs < 0) firstByteMs = performance.now() - started;
    bytes += value.length;
    for (let i = value.indexOf(10); i >= 0; i = value.indexOf(10, i + 1)) rows += 1;
  }
  return { rows, bytes, firstByteMs, totalMs: performance.now() - started };
}

const BASELINE_SQL = {
  raw: `SELECT j.id, j."comparisonId", j."raterId", j.choice, j.strength, j.criteria, j.rationale, j."timeMs", j."guidelineVersion",
      j."createdAt", j."undoneAt", a."leftIsA", a."issuedAt", c."isGold", p.key, p.context, ra.model AS "modelA", ra.content AS "contentA",
      rb.model AS "modelB", rb.content AS "contentB"
    FROM "Judgment" j JOIN "Assignment" a ON a.id = j."assignmentId" JOIN "Comparison" c ON c.id = j."comparisonId"
    JOIN "Prompt" p ON p.id = c."promptId" JOIN "Response" ra ON ra.id = c."responseAId" JOIN "Response" rb ON rb.id = c."responseBId"
    WHERE j."campaignId" = $1 AND j.id > $2 ORDER BY j.id LIMIT ${BASELINE_PAGE}`,
  trl: `WITH page AS (SELECT * FROM "Comparison" c WHERE c."campaignId" = $1 AND c.id > $2 ORDER BY c.id LIMIT ${BASELINE_PAGE}),
    votes AS (
      SELECT j."comparisonId" AS id, count(*) FILTER (WHERE j.choice = 'A') AS a, count(*) FILTER (WHERE j.choice = 'B') AS b
      FROM "Judgment" j JOIN page ON page.id = j."comparisonId" WHERE j."undoneAt" IS NULL GROUP BY j."comparisonId"
    )
    SELECT page.id, p.context, ra.content AS "contentA", rb.content AS "contentB", votes.a > votes.b AS "aWins", votes.a <> votes.b AS decided
    FROM page JOIN votes ON votes.id = page.id JOIN "Prompt" p ON p.id = page."promptId"
    JOIN "Response" ra ON ra.id = page."responseAId" JOIN "Response" rb ON rb.id = page."responseBId" ORDER BY page.id`,
};

/** Child: the baseline, a keyset-paginated query writing JSON.stringify lines to a file. */
async function baseline(format: 'raw' | 'trl'): Promise<Measurement> {
  const { database } = benchConfig();
  const pool = database.kind === 'postgres' ? new pg.Pool({ connectionString: database.url, max: 1 }) : null;
  const pglite = usePglite ? await (await import('../server/db/pglite')).createPglite(path.join(PGLITE_DIR, 'pgdata')) : null;
  const query = async (after: number) =>
    pool ? (await pool.query(BASELINE_SQL[format], [CAMPAIGN, after])).rows : (await pglite!.query<Record<string, unknown>>(BASELINE_SQL[format], [CAMPAIGN, after])).rows;
  const file = path.join(os.tmpdir(), `juxta-bench-export-baseline-${format}.jsonl`);
  const out = createWriteStream(file);
  const started = performance.now();
  let firstByteMs = -1;
  let rows = 0;
  let bytes = 0;
  for (let after = 0; ; ) {
    const page = await query(after);
    if (page.length === 0) break;
    after = Number(page[page.length - 1]!.id);
    let chunk = '';
    for (const row of page) {
      if (format === 'raw') chunk += JSON.stringify(row) + '\n';
      else if (row.decided) {
        const [chosen, rejected] = row.aWins ? [row.contentA, row.contentB] : [row.contentB, row.contentA];
        chunk += JSON.stringify({ prompt: row.context, chosen, rejected }) + '\n';
      } else continue;
      rows += 1;
    }
    if (firstByteMs < 0) firstByteMs = performance.now() - started;
    bytes += Buffer.byteLength(chunk);
    if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve) => out.end(() => resolve()));
  const totalMs = performance.now() - started;
  await pool?.end();
  await pglite?.close();
  rmSync(file, { force: true });
  return { rows, bytes, firstByteMs, totalMs, peakRssMb: peakRssMb() };
}

/** --node-flags "..." passes V8 flags to the measured children (e.g. a heap cap, as a deployment would set). */
const NODE_FLAGS = (option('--node-flags') ?? '').split(' ').filter(Boolean);

function child(role: string, ...rest: string[]): ChildProcess {
  return fork(fileURLToPath(import.meta.url), [...args, '--child', role, ...rest], { execArgv: [...process.execArgv, ...NODE_FLAGS] });
}

function once<T>(proc: ChildProcess): Promise<T> {
  return new Promise((resolve, reject) => {
    proc.once('message', (message) => resolve(message as T));
    proc.once('exit', (code) => code !== 0 && reject(new Error(`child exited with ${code}`)));
  });
}

/** A download abandoned after its first chunk: warms the process's code paths, and checks that leaving mid-file is safe. */
async function abandonExport(port: number, token: string, format: string): Promise<number> {
  const started = performance.now();
  const res = await fetch(`http://127.0.0.1:${port}/api/campaigns/${CAMPAIGN}/export?format=${format}`, { headers: { authorization: `Bearer ${token}` } });
  const reader = res.body!.getReader();
  await reader.read();
  const firstByteMs = performance.now() - started;
  await reader.cancel();
  return firstByteMs;
}

async function measureHttp(format: string): Promise<Measurement> {
  const server = child('serve');
  const { port, token } = await once<{ port: number; token: string }>(server);
  const coldFirstByteMs = await abandonExport(port, token, format);
  // Let the abandoned download's last page settle, so the measured one starts on an idle server.
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const result = { ...(await fetchExport(port, token, format)), coldFirstByteMs };
  server.send('rss');
  const memory = await once<{ peakRssMb: number; readyRssMb: number; peakHeapMb: number; peakExternalMb: number }>(server);
  // The next measurement may open the same PGlite directory: wait until this server has let go of it.
  if (server.exitCode === null) await new Promise((resolve) => server.once('exit', resolve));
  return { ...result, ...memory };
}

async function measureBaseline(format: string): Promise<Measurement> {
  return once<Measurement>(child('baseline', '--format', format));
}

function describe(name: string, m: Measurement): string {
  const rate = m.rows / (m.totalMs / 1000);
  return `${name.padEnd(22)} ${String(m.rows).padStart(9)} rows ${(m.bytes / 2 ** 20).toFixed(0).padStart(6)} MB ` +
    `${(m.totalMs / 1000).toFixed(1).padStart(6)} s ${Math.round(rate).toString().padStart(8)} rows/s  first byte ${m.firstByteMs.toFixed(0).padStart(5)} ms${m.coldFirstByteMs === undefined ? '' : ` (cold ${m.coldFirstByteMs.toFixed(0)} ms)`}  peak RSS ${m.peakRssMb.toFixed(0)} MB` +
    (m.readyRssMb === undefined ? '' : ` (ready ${m.readyRssMb.toFixed(0)} MB, +${(m.peakRssMb - m.readyRssMb).toFixed(0)} MB; heap peak ${m.peakHeapMb!.toFixed(0)} MB, external ${m.peakExternalMb!.toFixed(0)} MB)`);
}

async function main(): Promise<void> {
  const role = option('--child');
  if (role === 'seed') return seed().then(() => process.exit(0));
  if (role === 'serve') return serve();
  if (role === 'baseline') {
    const result = await baseline(option('--format') as 'raw' | 'trl');
    process.send!(result);
    return process.exit(0);
  }
  const label = usePglite ? 'PGlite' : 'Postgres';
  // --reuse measures the data a previous run seeded (same --comparisons), to iterate on the export alone.
  if (!args.includes('--reuse')) {
    console.log(`${label}: seeding ${COMPARISONS} comparisons x ${VOTES} judgments...`);
    const seeding = performance.now();
    await new Promise<void>((resolve, reject) => child('seed').once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`seed exited with ${code}`)))));
    console.log(`seeded in ${((performance.now() - seeding) / 1000).toFixed(1)} s`);
  }
  for (const format of (option('--formats') ?? 'raw,trl').split(',') as ("raw" | "trl")[]) {
    const base = await measureBaseline(format);
    const http = await measureHttp(format);
    console.log(describe(`baseline ${format}`, base));
    console.log(describe(`GET export ${format}`, http));
    console.log(`  rate vs baseline ${((http.rows / http.totalMs) / (base.rows / base.totalMs)).toFixed(2)} (target >= 0.5), first byte ${http.firstByteMs < 300 ? 'ok' : 'OVER'} (< 300 ms), peak RSS ${http.peakRssMb < 150 ? 'ok' : 'OVER'} (< 150 MB)`);
  }
}

await main();
