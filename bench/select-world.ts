// bench:select's simulated world, shared by the run through the database (select.ts) and the database-free run of
// the same rule (select-sim.ts): the true strengths, the raters and their noise, and the referee that decides when
// a run has answered the question (every adjacent pair of the estimated leaderboard settled, in the true order).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { bradleyTerryLeaderboard, ELO_BASE, ELO_SCALE, type PairOutcomeCounts } from '../server/domain/stats/bradley-terry';
import { fitLogStrengths } from '../server/domain/stats/bradley-terry-fit';
import { stoppingVerdict } from '../server/domain/selection/stopping-rule';
import type { Uniform } from '../server/domain/stats/random';

export const MODELS = 20;
export const RATERS = 50;
/** Judgments between checks of the stopping rule, and bootstrap rounds of a check (as many as a refresh uses). */
const CHECK_EVERY = 50;
const CHECK_ROUNDS = 200;
/**
 * A check whose weakest adjacent pair has a Wald z (the maximum-likelihood fit's Fisher information) below this
 * skips the bootstrap: the 95% percentile interval clears 0 only near z = 1.96, so it cannot be settled. Only
 * saves time (the referee fits 200 bootstrap rounds every 50 judgments otherwise); bench:select:sim counts the
 * checks where the bootstrap would have disagreed (CHECK_SCREEN=0 turns it off).
 */
const SCREEN_Z = Number(process.env.CHECK_SCREEN ?? 1.5);
/** Budgets at which the leaderboard's Spearman rho with the truth is read. */
export const RHO_AT = [1000, 2000, 4000, 8000];
const LEADERBOARD = path.resolve(import.meta.dirname, '../tests/fixtures/alpaca-eval/alpaca_eval_gpt4_leaderboard.csv');

export interface TrueModel {
  name: string;
  elo: number;
}

/**
 * 20 models of the AlpacaEval leaderboard (Elo from the win rate against its baseline), spread over its range with
 * the widest smallest gap possible: the closest pairs of the real board (a few Elo points apart) would take
 * hundreds of thousands of uniform judgments to settle, more than a campaign of this size holds.
 */
export function trueRatings(): TrueModel[] {
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

export function describeWorld(models: TrueModel[]): string {
  const gaps = models.slice(1).map((m, i) => models[i]!.elo - m.elo);
  return `${MODELS} models from AlpacaEval (Elo ${models[0]!.elo.toFixed(0)} to ${models.at(-1)!.elo.toFixed(0)}; adjacent gaps ${Math.min(...gaps).toFixed(0)} to ${Math.max(...gaps).toFixed(0)}), ${RATERS} raters (lapse 2-10%, one always "left")`;
}

/**
 * The raters' answers. Each rater has a lapse rate (the share of judgments given at random, inattention: 2-10%);
 * rater 0 always answers "left" (sides are random, so it adds pure noise); the others follow Bradley-Terry.
 */
export function raterPanel(rand: Uniform): { leftWins(rater: number, leftElo: number, rightElo: number): boolean } {
  const lapse = Array.from({ length: RATERS }, () => 0.02 + 0.08 * rand());
  return {
    leftWins(rater, leftElo, rightElo) {
      if (rater === 0) return true;
      if (rand() < lapse[rater]!) return rand() < 0.5;
      return rand() < 1 / (1 + ELO_BASE ** ((rightElo - leftElo) / ELO_SCALE));
    },
  };
}

/** Spearman's rho of an estimated order with the true one; models without an estimate share the last places. */
export function spearman(estimated: string[], truth: string[]): number {
  const n = truth.length;
  const rank = new Map(estimated.map((m, i) => [m, i]));
  const d2 = truth.reduce((s, m, i) => s + ((rank.get(m) ?? n - 1) - i) ** 2, 0);
  return 1 - (6 * d2) / (n * (n * n - 1));
}

export interface RunOutcome {
  /** Judgments until every adjacent pair was settled in the true order; null: the cap came first. */
  judgments: number | null;
  /** Checks at which every adjacent pair was settled but some in the wrong order (the run went on). */
  wrongSettles: number;
  /** Spearman's rho with the truth at the budgets of RHO_AT the run reached. */
  rho: Map<number, number>;
  /** Share of the run's judgments that compared two models adjacent in the true order (where they settle the answer). */
  adjacentShare: number;
}

/** Counts a run's judgments (by true model names) and checks the stopping rule every CHECK_EVERY of them. */
export class Referee {
  readonly outcome: RunOutcome = { judgments: null, wrongSettles: 0, rho: new Map(), adjacentShare: 0 };
  private readonly counts = new Map<string, PairOutcomeCounts>();
  private adjacent = 0;
  judged = 0;

  constructor(private readonly truth: string[]) {}

  get done(): boolean {
    return this.outcome.judgments !== null;
  }

  record(winner: string, loser: string): void {
    if (this.done) return;
    const key = `${winner}\t${loser}`;
    const row = this.counts.get(key) ?? { modelA: winner, modelB: loser, winsA: 0, winsB: 0, ties: 0 };
    row.winsA++;
    this.counts.set(key, row);
    const judged = ++this.judged;
    if (Math.abs(this.truth.indexOf(winner) - this.truth.indexOf(loser)) === 1) this.adjacent++;
    this.outcome.adjacentShare = this.adjacent / judged;
    const rhoHere = RHO_AT.includes(judged);
    if (judged % CHECK_EVERY !== 0 && !rhoHere) return;
    if (!rhoHere && weakestAdjacentZ([...this.counts.values()]) < SCREEN_Z) return;
    const board = bradleyTerryLeaderboard([...this.counts.values()], { rounds: CHECK_ROUNDS, seed: judged });
    if (rhoHere) this.outcome.rho.set(judged, spearman(board.ratings.filter((r) => r.rating !== null).map((r) => r.model), this.truth));
    if (judged % CHECK_EVERY !== 0) return;
    const verdict = stoppingVerdict(board, { margin: 0, budget: null, spent: judged, level: 0.95 });
    if (verdict.answered !== 'settled') return;
    if (verdict.pairs.every((p) => this.truth.indexOf(p.upper) < this.truth.indexOf(p.lower))) this.outcome.judgments = judged;
    else this.outcome.wrongSettles++;
  }
}

/**
 * The smallest |difference| / standard error over adjacent pairs of the maximum-likelihood order, the errors from
 * the inverse Fisher information (the last model pinned); Infinity when the fit does not exist (the bootstrap decides).
 */
export function weakestAdjacentZ(rows: PairOutcomeCounts[]): number {
  const names = [...new Set(rows.flatMap((r) => [r.modelA, r.modelB]))];
  const at = new Map(names.map((n, i) => [n, i]));
  const m = names.length;
  const theta = fitLogStrengths({
    models: m,
    first: Int32Array.from(rows.map((r) => at.get(r.modelA)!)),
    second: Int32Array.from(rows.map((r) => at.get(r.modelB)!)),
    counts: rows.flatMap((r) => [r.winsA, r.winsB, r.ties]),
  });
  if (!theta || m < 2) return Infinity;
  const info = Array.from({ length: m }, () => new Float64Array(m));
  for (const r of rows) {
    const [i, j] = [at.get(r.modelA)!, at.get(r.modelB)!];
    const p = 1 / (1 + Math.exp(theta[j]! - theta[i]!));
    const w = (r.winsA + r.winsB + r.ties) * p * (1 - p);
    info[i]![i]! += w;
    info[j]![j]! += w;
    info[i]![j]! -= w;
    info[j]![i]! -= w;
  }
  const cov = invert(info.slice(0, m - 1).map((row) => Array.from(row.slice(0, m - 1))));
  if (!cov) return Infinity;
  const c = (i: number, j: number) => (i === m - 1 || j === m - 1 ? 0 : cov[i]![j]!);
  const byRating = names.map((_, i) => i).sort((x, y) => theta[y]! - theta[x]!);
  let weakest = Infinity;
  for (let n = 0; n + 1 < m; n++) {
    const [i, j] = [byRating[n]!, byRating[n + 1]!];
    const variance = c(i, i) + c(j, j) - 2 * c(i, j);
    weakest = Math.min(weakest, (theta[i]! - theta[j]!) / Math.sqrt(Math.max(variance, 1e-12)));
  }
  return weakest;
}

/** Gauss-Jordan inverse of a small symmetric positive-definite matrix; null when singular. */
function invert(a: number[][]): number[][] | null {
  const n = a.length;
  const m = a.map((row, i) => [...row, ...Array.from({ length: n }, (_, j) => (i === j ? 1 : 0))]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r]![col]!) > Math.abs(m[pivot]![col]!)) pivot = r;
    if (Math.abs(m[pivot]![col]!) < 1e-12) return null;
    [m[col], m[pivot]] = [m[pivot]!, m[col]!];
    const head = m[col]!;
    const scale = head[col]!;
    for (let k = 0; k < 2 * n; k++) head[k]! /= scale;
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const f = m[r]![col]!;
      if (f !== 0) for (let k = 0; k < 2 * n; k++) m[r]![k]! -= f * head[k]!;
    }
  }
  return m.map((row) => row.slice(n));
}

export const quantile = (values: number[], q: number): number => {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const at = q * (sorted.length - 1);
  const lo = Math.floor(at);
  return sorted[lo]! + (at - lo) * ((sorted[Math.min(lo + 1, sorted.length - 1)] ?? sorted[lo]!) - sorted[lo]!);
};

/** The median rho at each of RHO_AT over the runs that reached it ('-' where none did). */
export function medianRho(runs: RunOutcome[]): string {
  return RHO_AT.map((n) => {
    const at = runs.flatMap((r) => (r.rho.has(n) ? [r.rho.get(n)!] : []));
    return at.length === 0 ? '-' : quantile(at, 0.5).toFixed(3);
  }).join(' / ');
}

/** Median, min, max and interquartile range of the judgments to settle (a capped run counts as the cap). */
export function spread(values: number[]): string {
  const f = (x: number) => x.toFixed(0);
  return `median ${f(quantile(values, 0.5))} (min ${f(Math.min(...values))}, IQR ${f(quantile(values, 0.25))}-${f(quantile(values, 0.75))}, max ${f(Math.max(...values))})`;
}
