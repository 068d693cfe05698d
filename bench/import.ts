// Import of 100,000 prompts x 4 responses (600,000 comparisons, all pairs) through the import service,
// next to a baseline measured in the same run: the same rows by multi-row INSERTs of 1,000 rows each; each side
// runs in a child process of its own, so that its peak RSS is its own.
//   npx tsx bench/import.ts            Postgres (BENCH_DATABASE_URL, default database juxta_bench_import on 127.0.0.1)
//   npx tsx bench/import.ts --pglite   embedded PGlite in a temporary directory
//   --prompts N                        another size
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { FastifyBaseLogger } from 'fastify';
import pg from 'pg';
import { loadConfig } from '../server/config';
import { openDatabase, type Database } from '../server/db/database';
import { generatePairs } from '../server/domain/pairing';
import { noMetrics, systemClock, systemRandom, type ServiceContext } from '../server/services/context';
import { createCampaign } from '../server/services/campaigns/create-campaign';
import { importPromptSet } from '../server/services/imports/import-prompt-set';

const args = process.argv.slice(2);
const usePglite = args.includes('--pglite');
const PROMPTS = Number(args[args.indexOf('--prompts') + 1] ?? 0) || 100_000;
const MODELS = ['model-a', 'model-b', 'model-c', 'model-d'];
const BASELINE_ROWS_PER_INSERT = 1_000;
const POSTGRES_URL = process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/juxta_bench_import';

const content = (i: number, model: string) => `${model} answers question ${i}: ${'lorem ipsum dolor sit amet '.repeat(6)}`;
const question = (i: number) => `Question ${i}: how would you explain topic ${i % 977} to a newcomer?`;

/** Peak RSS, sampled every 50 ms. */
class RssPeak {
  peak = 0;
  private readonly timer = setInterval(() => this.sample(), 50);
  sample(): number {
    this.peak = Math.max(this.peak, process.memoryUsage().rss);
    return this.peak;
  }
  reset(): void {
    this.peak = 0;
    this.sample();
  }
  stop(): void {
    clearInterval(this.timer);
  }
}

const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;

async function* nativeJsonl(): AsyncGenerator<Buffer> {
  let chunk = '';
  for (let i = 0; i < PROMPTS; i++) {
    chunk += JSON.stringify({ id: `q${i}`, prompt: question(i), responses: MODELS.map((model) => ({ model, content: content(i, model) })) }) + '\n';
    if (chunk.length > 256 * 1024) {
      yield Buffer.from(chunk);
      chunk = '';
    }
  }
  if (chunk) yield Buffer.from(chunk);
}

/** Runs `sql` with positional parameters on whichever engine (pg pool, or PGlite). */
type Exec = (sql: string, params: unknown[]) => Promise<{ rows: Record<string, unknown>[] }>;

function execOf(db: Database): Exec {
  if (db.pool) {
    const pool = db.pool;
    return async (sql, params) => pool.query(sql, params);
  }
  const engine = db.pglite!;
  return async (sql, params) => engine.query<Record<string, unknown>>(sql, params);
}

/** INSERT ... VALUES (...), (...) of up to 1,000 rows, RETURNING what the next table needs. */
async function insertRows(exec: Exec, table: string, columns: string[], rows: unknown[][], returning: string) {
  const out: Record<string, unknown>[] = [];
  for (let start = 0; start < rows.length; start += BASELINE_ROWS_PER_INSERT) {
    const slice = rows.slice(start, start + BASELINE_ROWS_PER_INSERT);
    const params: unknown[] = [];
    const values = slice.map((row) => `(${row.map((v) => `$${params.push(v)}`).join(', ')})`);
    const sql = `INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) VALUES ${values.join(', ')} RETURNING ${returning}`;
    out.push(...(await exec(sql, params)).rows);
  }
  return out;
}

/** The baseline: the same prompts, responses and comparisons, by plain multi-row INSERTs, one table after another. */
async function baseline(db: Database, campaignId: string, importId: string, progress: (rows: number) => void): Promise<number> {
  const exec = execOf(db);
  const keys = Array.from({ length: PROMPTS }, (_, i) => `q${i}`);
  let rows = 0;
  const promptIds = new Map<string, number>();
  for (let start = 0; start < PROMPTS; start += 10_000) {
    const prompts = keys.slice(start, start + 10_000).map((key, j) => {
      const context = JSON.stringify([{ role: 'user', content: question(start + j) }]);
      return [campaignId, key, key, context, importId];
    });
    const inserted = await insertRows(exec, 'Prompt', ['campaignId', 'key', 'externalId', 'context', 'importId'], prompts, '"id", "key"');
    for (const row of inserted) promptIds.set(row.key as string, row.id as number);
    const responses = prompts.flatMap(([, key], j) => MODELS.map((model) => [campaignId, promptIds.get(key as string), model, content(start + j, model), importId]));
    const responseRows = await insertRows(exec, 'Response', ['campaignId', 'promptId', 'model', 'content', 'importId'], responses, '"id", "promptId", "model"');
    const responseId = new Map(responseRows.map((r) => [`${r.promptId}:${r.model}`, r.id as number]));
    const comparisons = prompts.flatMap(([, key]) => {
      const promptId = promptIds.get(key as string)!;
      return generatePairs(MODELS, { kind: 'all' }, `seed:${key}`).map(([a, b]) => [
        campaignId,
        promptId,
        responseId.get(`${promptId}:${a}`),
        responseId.get(`${promptId}:${b}`),
        3,
        importId,
      ]);
    });
    await insertRows(exec, 'Comparison', ['campaignId', 'promptId', 'responseAId', 'responseBId', 'target', 'importId'], comparisons, '"id"');
    rows += prompts.length + responses.length + comparisons.length;
    progress(rows);
  }
  return rows;
}

/** The bench database: Postgres emptied at every run, or a PGlite directory. Each side opens it in its own process. */
function prepareBenchDatabase(): Promise<{ env: Record<string, string>; label: string; dispose: () => void }> {
  if (usePglite) {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'juxta-bench-import-'));
    return Promise.resolve({ env: { DATA_DIR: dir }, label: 'PGlite', dispose: () => rmSync(dir, { recursive: true, force: true }) });
  }
  return (async () => {
    const admin = new pg.Client({ connectionString: POSTGRES_URL.replace(/\/[^/]+$/, '/postgres') });
    await admin.connect();
    const name = new URL(POSTGRES_URL).pathname.slice(1);
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const config = loadConfig({ DATABASE_URL: POSTGRES_URL, LOG_LEVEL: 'silent' });
    const pool = config.database.kind === 'postgres' ? config.database.poolSize : 1;
    return { env: { DATABASE_URL: POSTGRES_URL }, label: `Postgres (pool ${pool})`, dispose: () => {} };
  })();
}

function silentLog(): FastifyBaseLogger {
  const log = { info() {}, debug() {}, trace() {}, warn: console.warn, error: console.error, fatal: console.error, level: 'info', silent() {} };
  return { ...log, child: () => log } as unknown as FastifyBaseLogger;
}

interface SideResult {
  rows: number;
  ms: number;
  peak: number;
  ready: number;
}

function report(label: string, r: SideResult): string {
  const rate = Math.round(r.rows / (r.ms / 1000)).toLocaleString('en');
  return `${label.padEnd(34)} ${(r.ms / 1000).toFixed(1).padStart(7)} s ${rate.padStart(9)} rows/s   peak RSS ${mb(r.peak)} (${mb(r.ready)} before it started)`;
}

/** One side of the comparison, in this (child) process, so that its peak RSS is its own. */
async function runSide(role: 'baseline' | 'import', env: Record<string, string>): Promise<SideResult> {
  const config = loadConfig({ ...env, LOG_LEVEL: 'silent' });
  const db = await openDatabase(config);
  const ctx: ServiceContext = { db, clock: systemClock, random: systemRandom, config, log: silentLog(), metrics: noMetrics };
  const rss = new RssPeak();
  try {
    if (role === 'baseline') {
      const base = await createCampaign(ctx, 'system', { name: 'baseline' });
      const baseImport = systemRandom.uuid();
      await db.prisma.import.create({ data: { id: baseImport, campaignId: base.id, format: 'baseline', status: 'PUBLISHED' } });
      const ready = rss.sample();
      rss.reset();
      const started = performance.now();
      const rows = await baseline(db, base.id, baseImport, (done) => {
        if (done % 110_000 < 11) console.log(`  baseline: ${done.toLocaleString('en')} rows, ${((performance.now() - started) / 1000).toFixed(1)} s, RSS ${mb(rss.sample())}`);
      });
      return { rows, ms: performance.now() - started, peak: rss.peak, ready };
    }
    // The baseline's rows go first, untimed.
    await db.prisma.$executeRawUnsafe('TRUNCATE "Comparison", "Response", "Prompt" CASCADE');
    const campaign = await createCampaign(ctx, 'system', { name: 'bench' });
    const importId = systemRandom.uuid();
    const ready = rss.sample();
    rss.reset();
    const started = performance.now();
    const ticker = setInterval(async () => {
      const row = await db.prisma.import.findUnique({ where: { id: importId }, select: { phase: true, records: true, bytes: true } });
      if (row) console.log(`  import: ${row.phase}, ${row.records.toLocaleString('en')} records, ${mb(Number(row.bytes))} read, ${((performance.now() - started) / 1000).toFixed(1)} s, RSS ${mb(rss.sample())}`);
    }, 5_000);
    const result = await importPromptSet(ctx, {
      campaignId: campaign.id,
      actor: 'system',
      importId,
      format: 'native',
      keepFilePairs: true,
      source: { kind: 'body', stream: Readable.from(nativeJsonl()), contentType: 'application/x-ndjson' },
    });
    clearInterval(ticker);
    return { rows: result.prompts + result.responses + result.comparisons, ms: performance.now() - started, peak: rss.peak, ready };
  } finally {
    rss.stop();
    await db.close();
  }
}

/** Runs one side in a child process of this script and waits for its figures. */
function inChild(role: 'baseline' | 'import', env: Record<string, string>): Promise<SideResult> {
  const child = fork(fileURLToPath(import.meta.url), [...args, '--child', role], { execArgv: process.execArgv, env: { ...process.env, BENCH_ENV: JSON.stringify(env) } });
  return new Promise((resolve, reject) => {
    child.once('message', (message) => resolve(message as SideResult));
    child.once('exit', (code) => reject(new Error(`the ${role} process exited with code ${code} before answering`)));
  });
}

async function main(): Promise<void> {
  const role = args[args.indexOf('--child') + 1];
  if (args.includes('--child') && (role === 'baseline' || role === 'import')) {
    const result = await runSide(role, JSON.parse(process.env.BENCH_ENV ?? '{}') as Record<string, string>);
    process.send!(result, () => process.exit(0));
    return;
  }
  const { env, label, dispose } = await prepareBenchDatabase();
  const total = PROMPTS * (1 + MODELS.length + (MODELS.length * (MODELS.length - 1)) / 2);
  console.log(`${label}: ${PROMPTS.toLocaleString('en')} prompts x ${MODELS.length} responses, all pairs = ${total.toLocaleString('en')} rows`);
  console.log('Each side runs in a process of its own, so that its peak RSS is its own.');
  const base = await inChild('baseline', env);
  const imported = await inChild('import', env);
  console.log('');
  console.log(report(`import service (${label})`, imported));
  console.log(report(`baseline: INSERTs of ${BASELINE_ROWS_PER_INSERT} rows`, base));
  console.log(`import / baseline speed: ${(base.ms / imported.ms).toFixed(2)} (target on Postgres: >= 0.5; peak RSS < 300 MB)`);
  if (imported.rows !== total) console.log(`WARNING: the import made ${imported.rows} rows, expected ${total}`);
  dispose();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
