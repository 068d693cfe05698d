// bench:select:sim — the same question as bench:select (does active selection settle the leaderboard with fewer
// judgments than uniform?) and the same world (select-world.ts), without the database: the claim is modelled in
// memory as the SQL does it (uniform: the first comparison by id with room that the rater never had; active: the
// first of the first of 8 model pairs drawn by priority, else id order; the control share uniform), each rater holds
// two leases (judged one, prefetched one) as the rater loop does, and the priorities are refreshed every REFRESH_EVERY
// judgments by the refresher's own domain code. Many seeds in seconds; select.ts is the real claim path.
// Env: SEEDS (200), CAP (60000), PROMPTS (140), REFRESH_EVERY (100), CONTROL (0.2).
import { bradleyTerryLeaderboard, type PairOutcomeCounts } from '../server/domain/stats/bradley-terry';
import { pairPriorities } from '../server/domain/selection/pair-priority';
import { chooseClaimArm } from '../server/domain/selection/claim-arm';
import { createSeededRandom } from '../server/domain/stats/random';
import { describeWorld, medianRho, MODELS, quantile, RATERS, raterPanel, Referee, RHO_AT, spread, trueRatings, type RunOutcome, type TrueModel } from './select-world';

const SEEDS = Number(process.env.SEEDS ?? 200);
const CAP = Number(process.env.CAP ?? 60_000);
const PROMPTS = Number(process.env.PROMPTS ?? 140);
const K = 3;
const REFRESH_EVERY = Number(process.env.REFRESH_EVERY ?? 100);
const CONTROL = Number(process.env.CONTROL ?? 0.2);
/** As TOP_PAIR_ROWS / 2 in the claim SQL. */
const DRAWN_PAIRS = 8;
const REFRESH_ROUNDS = 200;
/** MODES=active (or uniform): one mode only. */
const MODES = (process.env.MODES ?? 'uniform,active').split(',') as Mode[];

type Mode = 'uniform' | 'active';

interface SimResult extends RunOutcome {
  arms: Record<string, number>;
}

function simulate(mode: Mode, seed: number, models: TrueModel[]): SimResult {
  const rand = createSeededRandom(seed * 7919 + (mode === 'active' ? 1 : 0));
  // Which seeded model index plays which true model: shuffled per seed, so id order says nothing about strength.
  const order = models.map((_, i) => i).sort(() => rand() - 0.5);
  const names = Array.from({ length: MODELS }, (_, i) => `m${i}`);
  const pairs: [number, number][] = [];
  for (let a = 0; a < MODELS; a++) for (let b = a + 1; b < MODELS; b++) pairs.push([a, b]);
  const pairOf = new Map(pairs.map(([a, b], p) => [`${names[a]}\t${names[b]}`, p]));
  // Comparison id = prompt * pairs + pair (an import writes a prompt's pairs together); room = k - submitted - leased.
  const room = new Int8Array(PROMPTS * pairs.length).fill(K);
  const had = Array.from({ length: RATERS }, () => new Set<number>());
  let firstOpen = 0;
  const firstOpenOfPair = new Int32Array(pairs.length);
  const openOfPair = new Int32Array(pairs.length).fill(PROMPTS * K);
  const panel = raterPanel(rand);
  const referee = new Referee(models.map((m) => m.name));
  const counts = new Map<number, PairOutcomeCounts>();
  let priorities: Float64Array | null = null;
  const arms: Record<string, number> = {};

  const take = (rater: number, id: number) => {
    room[id]!--;
    openOfPair[id % pairs.length]!--;
    had[rater]!.add(id);
    return id;
  };
  const claimById = (rater: number): number | null => {
    while (firstOpen < room.length && room[firstOpen] === 0) firstOpen++;
    for (let id = firstOpen; id < room.length; id++) if (room[id]! > 0 && !had[rater]!.has(id)) return take(rater, id);
    return null;
  };
  const claimOfPair = (rater: number, p: number): number | null => {
    while (firstOpenOfPair[p]! < PROMPTS && room[firstOpenOfPair[p]! * pairs.length + p] === 0) firstOpenOfPair[p]!++;
    for (let prompt = firstOpenOfPair[p]!; prompt < PROMPTS; prompt++) {
      const id = prompt * pairs.length + p;
      if (room[id]! > 0 && !had[rater]!.has(id)) return take(rater, id);
    }
    return null;
  };
  const claim = (rater: number): number | null => {
    const arm =
      mode === 'uniform'
        ? 'uniform'
        : chooseClaimArm({ selection: 'active', controlShare: CONTROL, prioritiesAt: priorities ? new Date(0) : null, now: new Date(0), staleSeconds: 1, gold: false, draw: rand });
    let id: number | null = null;
    let recorded = arm;
    if (arm === 'active') {
      // Efraimidis-Spirakis keys, the DRAWN_PAIRS largest in order.
      const keys = pairs.map((_, p) => ({ p, key: Math.log(rand()) / priorities![p]! }));
      keys.sort((x, y) => y.key - x.key);
      for (const { p } of keys.slice(0, DRAWN_PAIRS)) if ((id = claimOfPair(rater, p)) !== null) break;
      if (id === null) recorded = 'uniform';
    }
    id ??= claimById(rater);
    if (id !== null) arms[recorded] = (arms[recorded] ?? 0) + 1;
    return id;
  };
  const refresh = () => {
    const board = bradleyTerryLeaderboard([...counts.values()], { rounds: REFRESH_ROUNDS, seed: 1 });
    const next = new Float64Array(pairs.length);
    const pairIndex = (a: string, b: string) => pairOf.get(`${a}\t${b}`) ?? pairOf.get(`${b}\t${a}`)!;
    const full = (a: string, b: string) => openOfPair[pairIndex(a, b)] === 0;
    for (const row of pairPriorities(board, names, 0.95, full)) next[pairOf.get(`${row.modelA}\t${row.modelB}`) ?? pairOf.get(`${row.modelB}\t${row.modelA}`)!] = row.priority;
    priorities = next;
  };

  const queues = Array.from({ length: RATERS }, (_, r) => [claim(r), claim(r)].filter((id): id is number => id !== null));
  const waiting = queues.map((_, r) => r).filter((r) => queues[r]!.length > 0);
  let judged = 0;
  while (waiting.length > 0 && judged < CAP && !referee.done) {
    const at = Math.floor(rand() * waiting.length);
    const rater = waiting[at]!;
    const id = queues[rater]!.shift()!;
    const p = id % pairs.length;
    const [a, b] = pairs[p]!;
    const aLeft = rand() < 0.5;
    const [left, right] = aLeft ? [a, b] : [b, a];
    const leftWins = panel.leftWins(rater, models[order[left]!]!.elo, models[order[right]!]!.elo);
    const [winner, loser] = leftWins ? [left, right] : [right, left];
    const row = counts.get(p) ?? { modelA: names[a]!, modelB: names[b]!, winsA: 0, winsB: 0, ties: 0 };
    if (winner === a) row.winsA++;
    else row.winsB++;
    counts.set(p, row);
    judged++;
    referee.record(models[order[winner]!]!.name, models[order[loser]!]!.name);
    if (mode === 'active' && judged % REFRESH_EVERY === 0) refresh();
    const next = claim(rater);
    if (next !== null) queues[rater]!.push(next);
    if (queues[rater]!.length === 0) waiting.splice(at, 1);
  }
  return { ...referee.outcome, arms };
}

function main(): void {
  const models = trueRatings();
  console.log(`${describeWorld(models)}; ${PROMPTS} prompts x ${(MODELS * (MODELS - 1)) / 2} pairs x k=${K}; cap ${CAP}; ${SEEDS} seeds; no database`);
  const results: Record<Mode, SimResult[]> = { uniform: [], active: [] };
  const seedList = process.env.SEED_LIST ? process.env.SEED_LIST.split(',').map(Number) : Array.from({ length: SEEDS }, (_, i) => i + 1);
  for (const seed of seedList) {
    const line = MODES.map((mode) => {
      const r = simulate(mode, seed, models);
      results[mode].push(r);
      return `${mode} ${r.judgments ?? 'cap'} (adjacent share ${r.adjacentShare.toFixed(3)})`;
    });
    if (process.env.VERBOSE) console.log(`seed ${seed}: ${line.join(', ')} ${JSON.stringify(results.active.at(-1)?.arms ?? {})}`);
  }
  for (const mode of MODES) {
    const rs = results[mode];
    const done = rs.map((r) => r.judgments ?? CAP);
    console.log(`${mode.padEnd(8)} ${spread(done)}, ${rs.filter((r) => r.judgments === null).length} capped, ${rs.reduce((n, r) => n + r.wrongSettles, 0)} wrong settles; rho at ${RHO_AT.join(' / ')}: ${medianRho(rs)}; adjacent share ${quantile(rs.map((r) => r.adjacentShare), 0.5).toFixed(3)}`);
  }
  if (MODES.length < 2) return;
  const ratios = results.active.map((r, i) => (r.judgments ?? CAP) / (results.uniform[i]!.judgments ?? CAP));
  const median = (m: Mode) => quantile(results[m].map((r) => r.judgments ?? CAP), 0.5);
  console.log(`active / uniform: medians ${((median('active') / median('uniform')) * 100).toFixed(0)}% (target <= 70%); per seed ${spread(ratios.map((x) => x * 100))} %`);
}

main();
