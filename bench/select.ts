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
import { freshBenchDatabase } from './bench-database';
import { K, PROMPTS, run, WORKERS, type Mode, type RunResult } from './select-run';
import { describeWorld, medianRho, MODELS, quantile, RHO_AT, spread, trueRatings } from './select-world';

const SEEDS = Number(process.env.SEEDS ?? 20);
const CAP = Number(process.env.CAP ?? 60_000);
const PARALLEL = Number(process.env.PARALLEL ?? 2);
/** MODES=active (or uniform): one mode only, to split a long run over processes or finish the other half later. */
const MODES = (process.env.MODES ?? 'uniform,active').split(',') as Mode[];

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
      const r = await run(app.ctx, mode, seed, models, CAP);
      results[mode][seed] = r;
      console.log(
        `seed ${seed} ${mode.padEnd(7)} ${r.judgments === null ? `cap (${CAP})` : r.judgments} judgments, ${r.wrongSettles} wrong settles, ` +
          `rho ${RHO_AT.map((n) => r.rho.get(n)?.toFixed(3) ?? '-').join(' / ')}, adjacent share ${r.adjacentShare.toFixed(3)}, round trip median ${quantile(r.roundTripMs, 0.5).toFixed(1)} ms, ` +
          `arms ${JSON.stringify(r.arms)}, ` +
          (mode === 'active'
            ? `priorities behind by median ${quantile(r.priorityAge, 0.5).toFixed(0)} / max ${Math.max(0, ...r.priorityAge)} judgments (${r.refreshes.done} refreshes, waited for ${r.refreshes.waited}), `
            : '') +
          `${((performance.now() - t0) / 1000).toFixed(0)} s`,
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
