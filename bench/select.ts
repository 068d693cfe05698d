// bench:select — does active pair selection answer "which model is better?" with fewer judgments than uniform?
// A simulation with known true strengths (20 models spread as on the AlpacaEval leaderboard,
// tests/fixtures/alpaca-eval from ../shared/corpora), Bradley-Terry outcomes and 50 simulated raters (each with its own lapse rate, one always
// answering "left"), run through the real claim and judgment services against the database. For each seed, one
// uniform and one active campaign (control share 20%, priorities refreshed every REFRESH_EVERY judgments, standing
// in for the 30 s schedule) run until every adjacent pair of the estimated leaderboard is settled (95% bootstrap
// interval of the difference excludes 0) in the true order, or the judgment cap. Reports, per mode, the judgments
// needed (median and spread over seeds), runs that hit the cap, pairs that settled in the wrong order on the way,
// Spearman's rho with the truth at fixed budgets, and the judgment round trip (judge + claim of the next, as the
// rater loop runs it). Env: SEEDS (20), CAP (40000), PROMPTS (140), PARALLEL (2), MINUTES (no limit), BENCH_DATABASE_URL (Postgres; default PGlite).
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { buildApp } from '../server/app';
import { loadConfig } from '../server/config';
import { createSeededRandom, type Uniform } from '../server/domain/stats/random';
import { bradleyTerryLeaderboard, ELO_BASE, ELO_SCALE, type PairOutcomeCounts } from '../server/domain/stats/bradley-terry';
import { stoppingVerdict } from '../server/domain/selection/stopping-rule';
import type { Random, ServiceContext } from '../server/services/context';
import { claimNextAssignment } from '../server/services/rating/claim-next-assignment';
import { submitJudgment } from '../server/services/rating/submit-judgment';
import { refreshCampaignPriorities } from '../server/services/selection/refresh-pair-priorities';
import { createRaters, seedComparisons } from '../testkit/factory';
import { freshBenchDatabase } from './bench-database';
import type { TAssignmentQueue } from '../server/contract/rater';

const SEEDS = Number(process.env.SEEDS ?? 20);
const CAP = Number(process.env.CAP ?? 40_000);
const PROMPTS = Number(process.env.PROMPTS ?? 140);
const MODELS = 20;
const RATERS = 50;
const K = 3;
const CHECK_EVERY = 50;
const WORKERS = 6;
const PARALLEL = Number(process.env.PARALLEL ?? 2);
/** MODES=active (or uniform): one mode only, to split a long run over processes or finish the other half later. */
const MODES = (process.env.MODES ?? 'uniform,active').split(',') as ('uniform' | 'active')[];
const REFRESH_EVERY = 100;
const CHECK_ROUNDS = 200;
const RHO_AT = [1000, 2000, 4000];
const LEADERBOARD = path.resolve(import.meta.dirname, '../tests/fixtures/alpaca-eval/alpaca_eval_gpt4_leaderboard.csv');

/**
 * 20 models of the AlpacaEval leaderboard (Elo from the win rate against its baseline), spread over its range with
 * the widest smallest gap possible: the closest pairs of the real board (a few Elo points apart) would take
 * hundreds of thousands of uniform judgments to settle, more than a campaign of this size holds.
 */
function trueRatings(): { name: string; elo: number }[] {
  const rows = parse(readFileSync(LEADERBOARD), { columns: true }) as { '': string; win_rate: string }[];
  const all = rows
    .map((r) => {
      const w = Math.min(0.995, Math.max(0.005, Number(r.win_rate) / 100));
      return { name: r[''], elo: ELO_SCALE * Math.log10(w / (1 - w)) };
    })
    .sort((a, b) => b.elo - a.elo);
  const withGap = (gap: number) => all.reduce<typeof all>((chosen, m) => (chosen.length === 0 || chosen.at(-1)!.elo - m.elo >= gap ? [...chosen, m] : chosen), []);
  let gap = 1;
  while (withGap(gap + 1).length >= MODELS) gap++;
  return withGap(gap).slice(0, MODELS);
}

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

function spearman(estimated: string[], truth: string[]): number {
  const n = truth.length;
  const rank = new Map(estimated.map((m, i) => [m, i]));
  // Models without an estimate share the last places.
  const d2 = truth.reduce((s, m, i) => s + ((rank.get(m) ?? n - 1) - i) ** 2, 0);
  return 1 - (6 * d2) / (n * (n * n - 1));
}

interface RunResult {
  judgments: number | null;
  wrongSettles: number;
  rho: Map<number, number>;
  roundTripMs: number[];
  arms: Record<string, number>;
}

async function run(ctx0: ServiceContext, mode: 'uniform' | 'active', seed: number, models: { name: string; elo: number }[]): Promise<RunResult> {
  const ctx: ServiceContext = { ...ctx0, random: seededServiceRandom(seed * 2 + (mode === 'active' ? 1 : 0)) };
  const rand: Uniform = createSeededRandom(seed * 7919 + (mode === 'active' ? 1 : 0));
  const prisma = ctx.db.prisma as Parameters<typeof seedComparisons>[0];
  const s = await seedComparisons(prisma, { prompts: PROMPTS, models: MODELS, votes: K, selection: mode, controlShare: 0.2 });
  // Which seeded model index plays which true model: shuffled per seed, so id order says nothing about strength.
  const order = models.map((_, i) => i).sort(() => rand() - 0.5);
  const eloOf = (index: number) => models[order[index]!]!.elo;
  const nameOf = (index: number) => models[order[index]!]!.name;
  const truth = models.map((m) => m.name);
  const raters = await createRaters(prisma, s.campaignId, RATERS);
  // Lapse rate: the share of judgments given at random (inattention); rater 0 always answers "left".
  const lapse = raters.map(() => 0.02 + 0.08 * rand());
  const queues = new Map<string, TAssignmentQueue | null>();
  for (const r of raters) queues.set(r.id, (await claimNextAssignment(ctx, r.id, s.campaignId, { prefetch: true, explainInactive: false })).next);
  const counts = new Map<string, PairOutcomeCounts>();
  const result: RunResult = { judgments: null, wrongSettles: 0, rho: new Map(), roundTripMs: [], arms: {} };
  let judged = 0;
  let refreshing: Promise<unknown> = Promise.resolve();
  const record = (winner: number, loser: number) => {
    const key = `${nameOf(winner)}\t${nameOf(loser)}`;
    const row = counts.get(key) ?? { modelA: nameOf(winner), modelB: nameOf(loser), winsA: 0, winsB: 0, ties: 0 };
    row.winsA++;
    counts.set(key, row);
    judged++;
    // The schedule's stand-in: a refresh every REFRESH_EVERY judgments, running beside the raters' claims.
    if (mode === 'active' && judged % REFRESH_EVERY === 0) refreshing = refreshing.then(() => refreshCampaignPriorities(ctx, s.campaignId));
    if (judged % CHECK_EVERY !== 0 && !RHO_AT.includes(judged)) return;
    const board = bradleyTerryLeaderboard([...counts.values()], { rounds: CHECK_ROUNDS, seed: judged });
    if (RHO_AT.includes(judged)) result.rho.set(judged, spearman(board.ratings.filter((r) => r.rating !== null).map((r) => r.model), truth));
    if (judged % CHECK_EVERY !== 0) return;
    const verdict = stoppingVerdict(board, { margin: 0, budget: null, spent: judged, level: 0.95 });
    if (verdict.answered !== 'settled') return;
    if (verdict.pairs.every((p) => truth.indexOf(p.upper) < truth.indexOf(p.lower))) result.judgments = judged;
    else result.wrongSettles++;
  };
  // WORKERS raters judge at once (each worker takes turns among its share of the raters), as a team would.
  const worker = async (share: typeof raters) => {
    const waiting = share.filter((r) => queues.get(r.id));
    while (waiting.length > 0 && judged < CAP && result.judgments === null) {
      const at = Math.floor(rand() * waiting.length);
      const rater = waiting[at]!;
      const { assignment } = queues.get(rater.id)!;
      if (!assignment.left || !assignment.right) throw new Error('pairs only');
      const [left, right] = [assignment.left.content, assignment.right.content].map((c) => Number(/^Reply (\d+) /.exec(c)![1])) as [number, number];
      const pLeft = 1 / (1 + ELO_BASE ** ((eloOf(right) - eloOf(left)) / ELO_SCALE));
      const leftWins = rater === raters[0] ? true : rand() < lapse[raters.indexOf(rater)]! ? rand() < 0.5 : rand() < pLeft;
      const t0 = performance.now();
      const reply = await submitJudgment(ctx, rater.id, assignment.id, { choice: leftWins ? 'left' : 'right', timeMs: 5000, idempotencyKey: ctx.random.uuid() });
      result.roundTripMs.push(performance.now() - t0);
      queues.set(rater.id, reply.next);
      if (!reply.next) waiting.splice(at, 1);
      if (result.judgments === null) record(leftWins ? left : right, leftWins ? right : left);
    }
  };
  await Promise.all(Array.from({ length: WORKERS }, (_, w) => worker(raters.filter((_, i) => i % WORKERS === w))));
  await refreshing;
  const arms = await prisma.$queryRawUnsafe<{ arm: string; n: number }[]>(
    `SELECT arm::text AS arm, count(*)::int AS n FROM "Assignment" WHERE "campaignId" = $1::uuid GROUP BY 1`,
    s.campaignId,
  );
  result.arms = Object.fromEntries(arms.map((a) => [a.arm, a.n]));
  return result;
}

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
};

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
  const gaps = models.slice(1).map((m, i) => models[i]!.elo - m.elo);
  console.log(
    `${MODELS} models from AlpacaEval (Elo ${models[0]!.elo.toFixed(0)} to ${models.at(-1)!.elo.toFixed(0)}; adjacent gaps ${Math.min(...gaps).toFixed(0)} to ${Math.max(...gaps).toFixed(0)}),`,
  );
  console.log(
    `${RATERS} raters (lapse 2-10%, one always "left"), ${PROMPTS} prompts x ${(MODELS * (MODELS - 1)) / 2} pairs x k=${K}; cap ${CAP}; ${SEEDS} seeds; ${databaseUrl ? 'Postgres' : 'PGlite'}`,
  );
  const started = Date.now();
  const results: Record<'uniform' | 'active', RunResult[]> = { uniform: [], active: [] };
  // PARALLEL seeds at a time (each its own two campaigns), for the wall time on a shared machine.
  // SEED_LIST (e.g. "20,19,18"): these seeds in this order instead of 1..SEEDS (to share the seeds among processes).
  const seeds = process.env.SEED_LIST ? process.env.SEED_LIST.split(',').map(Number) : Array.from({ length: SEEDS }, (_, i) => i + 1);
  // MINUTES: start no seed after this long (the summary then covers the seeds that finished, and says how many).
  const deadline = started + Number(process.env.MINUTES ?? Infinity) * 60_000;
  const runSeed = async (seed: number) => {
    for (const mode of MODES) {
      const t0 = performance.now();
      const r = await run(app.ctx, mode, seed, models);
      results[mode][seed] = r;
      console.log(
        `seed ${seed} ${mode.padEnd(7)} ${r.judgments === null ? `cap (${CAP})` : r.judgments} judgments, ${r.wrongSettles} wrong settles, ` +
          `rho ${RHO_AT.map((n) => r.rho.get(n)?.toFixed(3) ?? '-').join(' / ')}, round trip median ${quantile(r.roundTripMs, 0.5).toFixed(1)} ms, ` +
          `arms ${JSON.stringify(r.arms)}, ${((performance.now() - t0) / 1000).toFixed(0)} s`,
      );
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, async () => {
    for (let seed = seeds.shift(); seed !== undefined && Date.now() < deadline; seed = seeds.shift()) await runSeed(seed);
  }));
  console.log('\nmode     judgments to correctly settled: median [p10, p90] (capped runs)   rho at ' + RHO_AT.join(' / ') + '   round trip median / p95 ms');
  for (const mode of ['uniform', 'active'] as const) {
    // With MODES one mode only: its own runs.
    const rs = results[mode].filter((r, i) => r && (MODES.length === 1 || (results.uniform[i] && results.active[i])));
    if (rs.length === 0) continue;
    const done = rs.map((r) => r.judgments ?? CAP);
    const capped = rs.filter((r) => r.judgments === null).length;
    const rho = RHO_AT.map((n) => quantile(rs.map((r) => r.rho.get(n) ?? NaN).filter((x) => !Number.isNaN(x)), 0.5)?.toFixed(3) ?? '-').join(' / ');
    const trips = rs.flatMap((r) => r.roundTripMs);
    console.log(
      `${mode.padEnd(8)} ${quantile(done, 0.5)} [${quantile(done, 0.1)}, ${quantile(done, 0.9)}] (${capped} capped), wrong settles ${rs.reduce((n, r) => n + r.wrongSettles, 0)}   ${rho}   ${quantile(trips, 0.5).toFixed(2)} / ${quantile(trips, 0.95).toFixed(2)}`,
    );
  }
  const both = results.uniform.flatMap((u, i) => (u && results.active[i] ? [i] : []));
  console.log(`${both.length} of ${process.env.SEED_LIST ? process.env.SEED_LIST.split(',').length : SEEDS} seeds finished both modes`);
  if (both.length > 0) {
    const saving = rs(both.map((i) => results.active[i]!)) / rs(both.map((i) => results.uniform[i]!));
    console.log(`\nactive / uniform judgments (medians; capped runs count as the cap): ${(saving * 100).toFixed(0)}% (target <= 70%)`);
  }
  await app.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}

const rs = (runs: RunResult[]) => quantile(runs.map((r) => r.judgments ?? CAP), 0.5);

await main();
