// bench:select — does active pair selection answer "which model is better?" with fewer judgments than uniform?
// A simulation with known true strengths (20 models spread as on the AlpacaEval leaderboard,
// tests/fixtures/alpaca-eval from ../shared/corpora), Bradley-Terry outcomes and 50 simulated raters (each with its own lapse rate, one always
// answering "left"), run through the real claim and judgment services against the database. For each seed, one
// uniform and one active campaign (control share 20%, priorities refreshed every REFRESH_EVERY judgments, standing
// in for the 30 s schedule) run until every adjacent pair of the estimated leaderboard is settled (95% bootstrap
// interval of the difference excludes 0) in the true order, or the judgment cap. Reports, per mode, the judgments
// needed (median and spread over seeds), runs that hit the cap, pairs that settled in the wrong order on the way,
// Spearman's rho with the truth at fixed budgets, and the judgment round trip (judge + claim of the next, as the
// rater loop runs it). Env: SEEDS (20), CAP (60000), PROMPTS (140), PARALLEL (2), MINUTES (no limit), BENCH_DATABASE_URL (Postgres; default PGlite).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildApp } from '../server/app';
import { loadConfig } from '../server/config';
import { createSeededRandom, type Uniform } from '../server/domain/stats/random';
import type { Random, ServiceContext } from '../server/services/context';
import { claimNextAssignment } from '../server/services/rating/claim-next-assignment';
import { submitJudgment } from '../server/services/rating/submit-judgment';
import { refreshCampaignPriorities } from '../server/services/selection/refresh-pair-priorities';
import { createRaters, seedComparisons } from '../testkit/factory';
import { freshBenchDatabase } from './bench-database';
import type { TAssignmentQueue } from '../server/contract/rater';
import { describeWorld, medianRho, MODELS, quantile, RATERS, raterPanel, Referee, RHO_AT, spread, trueRatings, type RunOutcome, type TrueModel } from './select-world';

const SEEDS = Number(process.env.SEEDS ?? 20);
const CAP = Number(process.env.CAP ?? 60_000);
const PROMPTS = Number(process.env.PROMPTS ?? 140);
const K = 3;
const WORKERS = 6;
const PARALLEL = Number(process.env.PARALLEL ?? 2);
/** MODES=active (or uniform): one mode only, to split a long run over processes or finish the other half later. */
const MODES = (process.env.MODES ?? 'uniform,active').split(',') as Mode[];
const REFRESH_EVERY = Number(process.env.REFRESH_EVERY ?? 100);

type Mode = 'uniform' | 'active';

function seededServiceRandom(seed: number): Random {
  const u = createSeededRandom(seed);
  const bytes = (n: number) => Buffer.from(Array.from({ length: n }, () => Math.floor(u() * 256)));
  return {
    bytes,
    float: u,
    uuid: () => {
      const b = bytes(16);
      b[6] = (b[6]! & 0x0f) | 0x40;
      b[8] = (b[8]! & 0x3f) | 0x80;
      const h = b.toString('hex');
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
    },
  };
}

interface RunResult extends RunOutcome {
  roundTripMs: number[];
  arms: Record<string, number>;
}

async function run(ctx0: ServiceContext, mode: Mode, seed: number, models: TrueModel[]): Promise<RunResult> {
  const ctx: ServiceContext = { ...ctx0, random: seededServiceRandom(seed * 2 + (mode === 'active' ? 1 : 0)) };
  const rand: Uniform = createSeededRandom(seed * 7919 + (mode === 'active' ? 1 : 0));
  const prisma = ctx.db.prisma as Parameters<typeof seedComparisons>[0];
  const s = await seedComparisons(prisma, { prompts: PROMPTS, models: MODELS, votes: K, selection: mode, controlShare: 0.2 });
  // Which seeded model index plays which true model: shuffled per seed, so id order says nothing about strength.
  const order = models.map((_, i) => i).sort(() => rand() - 0.5);
  const modelOf = (index: number) => models[order[index]!]!;
  const raters = await createRaters(prisma, s.campaignId, RATERS);
  const panel = raterPanel(rand);
  const queues = new Map<string, TAssignmentQueue | null>();
  for (const r of raters) queues.set(r.id, (await claimNextAssignment(ctx, r.id, s.campaignId, { prefetch: true, explainInactive: false })).next);
  const referee = new Referee(models.map((m) => m.name));
  const roundTripMs: number[] = [];
  let refreshing: Promise<unknown> = Promise.resolve();
  // WORKERS raters judge at once (each worker takes turns among its share of the raters), as a team would.
  const worker = async (share: number[]) => {
    const waiting = share.filter((r) => queues.get(raters[r]!.id));
    while (waiting.length > 0 && referee.judged < CAP && !referee.done) {
      const at = Math.floor(rand() * waiting.length);
      const rater = raters[waiting[at]!]!;
      const { assignment } = queues.get(rater.id)!;
      if (!assignment.left || !assignment.right) throw new Error('pairs only');
      const [left, right] = [assignment.left.content, assignment.right.content].map((c) => Number(/^Reply (\d+) /.exec(c)![1])) as [number, number];
      const leftWins = panel.leftWins(waiting[at]!, modelOf(left).elo, modelOf(right).elo);
      const t0 = performance.now();
      const reply = await submitJudgment(ctx, rater.id, assignment.id, { choice: leftWins ? 'left' : 'right', timeMs: 5000, idempotencyKey: ctx.random.uuid() });
      roundTripMs.push(performance.now() - t0);
      queues.set(rater.id, reply.next);
      if (!reply.next) waiting.splice(at, 1);
      referee.record(modelOf(leftWins ? left : right).name, modelOf(leftWins ? right : left).name);
      // The schedule's stand-in: a refresh every REFRESH_EVERY judgments, running beside the raters' claims.
      if (mode === 'active' && referee.judged % REFRESH_EVERY === 0) refreshing = refreshing.then(() => refreshCampaignPriorities(ctx, s.campaignId));
    }
  };
  await Promise.all(Array.from({ length: WORKERS }, (_, w) => worker(raters.flatMap((_, i) => (i % WORKERS === w ? [i] : [])))));
  await refreshing;
  const arms = await prisma.$queryRawUnsafe<{ arm: string; n: number }[]>(
    `SELECT arm::text AS arm, count(*)::int AS n FROM "Assignment" WHERE "campaignId" = $1::uuid GROUP BY 1`,
    s.campaignId,
  );
  return { ...referee.outcome, roundTripMs, arms: Object.fromEntries(arms.map((a) => [a.arm, a.n])) };
}

async function main(): Promise<void> {
  const databaseUrl = process.env.BENCH_DATABASE_URL ? await freshBenchDatabase('juxta_bench_select') : null;
  const dataDir = databaseUrl ? null : mkdtempSync(path.join(tmpdir(), 'juxta-bench-select-'));
  const config = loadConfig({
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : { DATA_DIR: dataDir! }),
    // Parallel runs of WORKERS raters each, and the next campaign seeding meanwhile: more than the default pool.
    DB_POOL_SIZE: String(PARALLEL * WORKERS + 10),
    LOG_LEVEL: 'silent',
    PUBLIC_URL: 'http://juxta.bench',
    JUXTA_DEMO: 'false',
  });
  const app = await buildApp(config, { logger: false });
  const models = trueRatings();
  console.log(`${describeWorld(models)}; ${PROMPTS} prompts x ${(MODELS * (MODELS - 1)) / 2} pairs x k=${K}; cap ${CAP}; ${SEEDS} seeds; ${databaseUrl ? 'Postgres' : 'PGlite'}`);
  const started = Date.now();
  const results: Record<Mode, RunResult[]> = { uniform: [], active: [] };
  // PARALLEL seeds at a time (each its own two campaigns), for the wall time on a shared machine.
  // SEED_LIST (e.g. "20,19,18"): these seeds in this order instead of 1..SEEDS (to share the seeds among processes).
  const seeds = process.env.SEED_LIST ? process.env.SEED_LIST.split(',').map(Number) : Array.from({ length: SEEDS }, (_, i) => i + 1);
  const asked = seeds.length;
  // MINUTES: start no seed after this long (the summary then covers the seeds that finished, and says how many).
  const deadline = started + Number(process.env.MINUTES ?? Infinity) * 60_000;
  const runSeed = async (seed: number) => {
    for (const mode of MODES) {
      const t0 = performance.now();
      const r = await run(app.ctx, mode, seed, models);
      results[mode][seed] = r;
      console.log(
        `seed ${seed} ${mode.padEnd(7)} ${r.judgments === null ? `cap (${CAP})` : r.judgments} judgments, ${r.wrongSettles} wrong settles, ` +
          `rho ${RHO_AT.map((n) => r.rho.get(n)?.toFixed(3) ?? '-').join(' / ')}, adjacent share ${r.adjacentShare.toFixed(3)}, round trip median ${quantile(r.roundTripMs, 0.5).toFixed(1)} ms, ` +
          `arms ${JSON.stringify(r.arms)}, ${((performance.now() - t0) / 1000).toFixed(0)} s`,
      );
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, async () => {
    for (let seed = seeds.shift(); seed !== undefined && Date.now() < deadline; seed = seeds.shift()) await runSeed(seed);
  }));
  summarise(results, asked);
  await app.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}

/** The figures over the seeds that finished every mode asked for (with MODES one mode: its own runs). */
function summarise(results: Record<Mode, RunResult[]>, asked: number): void {
  const finished = results[MODES[0]!].flatMap((_, seed) => (MODES.every((m) => results[m][seed]) ? [seed] : []));
  console.log(`\n${finished.length} of ${asked} seeds finished (${MODES.join(' and ')}); judgments until every adjacent pair is settled in the true order (a capped run counts as the cap)`);
  for (const mode of MODES) {
    const rs = finished.map((seed) => results[mode][seed]!);
    const trips = rs.flatMap((r) => r.roundTripMs);
    console.log(
      `${mode.padEnd(8)} ${spread(rs.map((r) => r.judgments ?? CAP))}, ${rs.filter((r) => r.judgments === null).length} capped, ` +
        `${rs.reduce((n, r) => n + r.wrongSettles, 0)} wrong settles; rho at ${RHO_AT.join(' / ')}: ${medianRho(rs)}; adjacent share ${quantile(rs.map((r) => r.adjacentShare), 0.5).toFixed(3)}; round trip median / p95 ${quantile(trips, 0.5).toFixed(1)} / ${quantile(trips, 0.95).toFixed(1)} ms`,
    );
  }
  if (MODES.length < 2 || finished.length === 0) return;
  const median = (m: Mode) => quantile(finished.map((seed) => results[m][seed]!.judgments ?? CAP), 0.5);
  const ratios = finished.map((seed) => (results.active[seed]!.judgments ?? CAP) / (results.uniform[seed]!.judgments ?? CAP));
  console.log(`active / uniform: medians ${((median('active') / median('uniform')) * 100).toFixed(0)}% (target <= 70%); per seed ${spread(ratios.map((x) => x * 100))} %`);
}

await main();
