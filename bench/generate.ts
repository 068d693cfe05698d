// bench:generate — a generation job of 20,000 items against a chat completions server on loopback that
// answers at once, next to a baseline in the same run: the same requests sent by a plain loop through the
// same client (sendChat, same connection pool) at the same concurrency, writing nothing, run before and after
// the job. Prints items/s of both, their ratio (target >= 0.8), the job's own overhead per item and the load.
// The machine may be shared: items/s follow its load, so the CPU time this process spends per item (client,
// fake server, worker and, on PGlite, the database engine; on Postgres the server processes' too) is printed for both as well, and the worker's
// claim and store transactions. PGlite by default (a fresh data directory); Postgres with DATABASE_URL.
//   tsx bench/generate.ts [--items 20000] [--concurrency 32]
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { buildApp } from '../server/app';
import { loadConfig } from '../server/config';
import { chatCompletionBody } from '../server/domain/generation/chat-request';
import { startGenerationWorker } from '../server/services/generation/generation-worker';
import { getGenerationJob } from '../server/services/generation/job-view';
import { createGenerationJob } from '../server/services/generation/manage-generation-job';
import { sendChat } from '../server/services/model-endpoints/chat-client';
import { createModelEndpoint } from '../server/services/model-endpoints/save-model-endpoint';
import { createCampaign } from '../server/services/campaigns/create-campaign';
import { startFakeChatServer } from '../testkit/fake-chat-server';

const { values: args } = parseArgs({ options: { items: { type: 'string', default: '20000' }, concurrency: { type: 'string', default: '32' } } });
const ITEMS = Number(args.items);
const CONCURRENCY = Number(args.concurrency);
// Two endpoints x 2 samples: prompts = items / 4.
const ENDPOINTS = 2;
const SAMPLES = 2;
const PROMPTS = Math.ceil(ITEMS / (ENDPOINTS * SAMPLES));

const fake = await startFakeChatServer({ record: false });
const prompt = (i: number) => [{ role: 'user' as const, content: `Question ${i}: what is ${i} squared?` }];

/** Items per second, and the CPU time this process (and its main thread alone) spent per item. */
interface Rate {
  rate: number;
  cpuMs: number;
  mainCpuMs: number | null;
}

/** The baseline: `items` requests through sendChat, CONCURRENCY at a time, nothing stored. */
async function baseline(items = ITEMS): Promise<Rate> {
  const target = { baseUrl: fake.url, apiKey: null, stream: false, timeoutSeconds: 30 };
  let next = 0;
  const started = performance.now();
  const cpu = process.cpuUsage();
  const main = mainThreadCpuMs();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < items) {
        const i = next++;
        await sendChat(target, chatCompletionBody('echo', prompt(i), {}));
      }
    }),
  );
  return { rate: items / ((performance.now() - started) / 1000), cpuMs: cpuMsPerItem(cpu, items), mainCpuMs: mainMsPerItem(main, items) };
}

function cpuMsPerItem(since: NodeJS.CpuUsage, items: number): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000 / items;
}

/**
 * CPU ms the main thread has used so far, from /proc (null elsewhere): the thread that runs the client, the
 * fake server and the worker, and the one that limits items/s (GC helper threads run beside it).
 */
function mainThreadCpuMs(): number | null {
  try {
    return procCpuMs(`/proc/self/task/${process.pid}/stat`);
  } catch {
    return null;
  }
}

/** CPU ms (user + system) a /proc stat file reports: after the command name, utime and stime are the 12th and 13th fields, in clock ticks (100 per second). */
function procCpuMs(statFile: string): number {
  const fields = readFileSync(statFile, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

function mainMsPerItem(since: number | null, items: number): number | null {
  const now = mainThreadCpuMs();
  return since === null || now === null ? null : (now - since) / items;
}

/**
 * Postgres only (null on PGlite, whose engine runs in this process): CPU ms the server's processes for this
 * bench's database have used so far, from /proc (the database is the bench's own; Postgres on this machine).
 */
async function serverCpuMs(sql: { queryAdHoc: <T>(sql: string, params: unknown[]) => Promise<T[]> }, kind: string): Promise<number | null> {
  if (kind !== 'postgres') return null;
  const rows = await sql.queryAdHoc<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = current_database()', []);
  let ms = 0;
  for (const { pid } of rows) {
    try {
      ms += procCpuMs(`/proc/${pid}/stat`);
    } catch {
      return null; // not on this machine
    }
  }
  return ms;
}

/** The job: the same number of requests, claimed, sent and stored by the worker. */
async function job(): Promise<Rate & { database: string; transactions: string; serverCpuMs: number | null }> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'juxta-bench-generate-'));
  const config = loadConfig({
    ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : { DATA_DIR: dataDir }),
    JUXTA_DEMO: 'false',
    LOG_LEVEL: 'warn',
    GENERATION_MAX_IN_FLIGHT: String(CONCURRENCY),
  });
  const app = await buildApp(config, { logger: false });
  const ctx = app.ctx;
  try {
    const campaign = await createCampaign(ctx, 'system', { name: `bench generate ${Date.now()}` });
    const importId = ctx.random.uuid();
    const { prisma } = ctx.db;
    await prisma.import.create({ data: { id: importId, campaignId: campaign.id, format: 'native', status: 'PUBLISHED' } });
    for (let from = 0; from < PROMPTS; from += 5000) {
      const size = Math.min(5000, PROMPTS - from);
      await prisma.prompt.createMany({
        data: Array.from({ length: size }, (_, k) => ({ campaignId: campaign.id, importId, key: `p${from + k}`, context: prompt(from + k) })),
      });
    }
    const endpointIds = [];
    for (let e = 0; e < ENDPOINTS; e++) {
      // Each endpoint allows the whole concurrency: the worker's own limit (GENERATION_MAX_IN_FLIGHT) is what
      // matches the baseline's, and the leases of items queued ahead of their requests count against an endpoint's.
      const endpoint = await createModelEndpoint(ctx, 'system', { name: `bench ${e} ${Date.now()}`, baseUrl: fake.url, model: 'echo', maxConcurrency: 2 * CONCURRENCY });
      endpointIds.push(endpoint.id);
    }
    const serverBefore = await serverCpuMs(ctx.db.sql, ctx.db.kind);
    const started = performance.now();
    const cpu = process.cpuUsage();
    const main = mainThreadCpuMs();
    const { id } = await createGenerationJob(ctx, 'system', campaign.id, { endpointIds, samples: SAMPLES });
    const worker = startGenerationWorker(ctx);
    // The job row says DONE once every item is settled; the full view (counts over all items) is read once, at the end.
    // Read through the driver: Prisma's query engine cost this process as much as 1% of the job's CPU.
    const status = async () => (await ctx.db.sql.query<{ status: string }>('SELECT status::text AS status FROM "GenerationJob" WHERE id = $1::uuid', [id]))[0]!.status;
    while ((await status()) !== 'DONE') {
      await new Promise((r) => setTimeout(r, 200));
    }
    const seconds = (performance.now() - started) / 1000;
    const cpuMs = cpuMsPerItem(cpu, ITEMS);
    const mainCpuMs = mainMsPerItem(main, ITEMS);
    const serverAfter = await serverCpuMs(ctx.db.sql, ctx.db.kind);
    const view = await getGenerationJob(ctx, id);
    await worker.stop();
    if (view.done !== view.total || view.failed !== 0) throw new Error(`job ended with ${view.done} done, ${view.failed} failed of ${view.total}`);
    const { claims, claimed, stores, stored } = worker.stats;
    const transactions = `${claims} claims (${(claimed / claims).toFixed(0)} items each), ${stores} stores (${(stored / stores).toFixed(0)} items each)`;
    const server = serverBefore === null || serverAfter === null ? null : (serverAfter - serverBefore) / ITEMS;
    return { rate: view.total / seconds, cpuMs, mainCpuMs, database: ctx.db.kind, transactions, serverCpuMs: server };
  } finally {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

// A first round warms the client's connections and the JIT (the first baseline was the slowest round otherwise).
await baseline(Math.min(ITEMS, 2000));
// The machine may be shared: the baseline runs before and after the job, and the job is compared with their mean.
const before = await baseline();
const measured = await job();
const after = await baseline();
await fake.close();
const base = (before.rate + after.rate) / 2;
const baseCpuMs = (before.cpuMs + after.cpuMs) / 2;
const overheadMs = 1000 / measured.rate - 1000 / base;
console.log(`bench:generate — ${ITEMS} items (${PROMPTS} prompts x ${ENDPOINTS} endpoints x ${SAMPLES} samples), concurrency ${CONCURRENCY}, ${measured.database}, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
console.log(`  baseline (plain loop through sendChat, nothing written): ${base.toFixed(0)} items/s (${before.rate.toFixed(0)} before the job, ${after.rate.toFixed(0)} after), CPU ${baseCpuMs.toFixed(3)} ms per item`);
console.log(`  generation job (claim, send, store, publish):            ${measured.rate.toFixed(0)} items/s, CPU ${measured.cpuMs.toFixed(3)} ms per item`);
console.log(`  ratio ${(measured.rate / base).toFixed(2)}x (target >= 0.8x); the job's overhead ${overheadMs.toFixed(3)} ms per item, CPU ${(measured.cpuMs - baseCpuMs).toFixed(3)} ms per item (CPU ratio ${(baseCpuMs / measured.cpuMs).toFixed(2)}x)`);
if (measured.serverCpuMs !== null) console.log(`  Postgres server processes (the job's connections): CPU ${measured.serverCpuMs.toFixed(3)} ms per item more`);
if (measured.mainCpuMs !== null && before.mainCpuMs !== null && after.mainCpuMs !== null) {
  const baseMain = (before.mainCpuMs + after.mainCpuMs) / 2;
  console.log(`  main thread: baseline ${baseMain.toFixed(3)} ms per item, job ${measured.mainCpuMs.toFixed(3)} (${(measured.mainCpuMs - baseMain).toFixed(3)} more; CPU ratio ${(baseMain / measured.mainCpuMs).toFixed(2)}x)`);
}
console.log(`  worker: ${measured.transactions}`);
