// The model leaderboard: Bradley-Terry ratings on the Elo scale with seeded bootstrap intervals, and the win-rate matrix.
import { sampleMultinomial } from './binomial';
import { createUnitResampler, DEFAULT_BOOTSTRAP, percentileInterval, type BootstrapOptions, type GroupedUnits } from './bootstrap';
import { createRefitter, fitLogStrengths, type PairCounts } from './bradley-terry-fit';
import { isStronglyConnected, stronglyConnectedComponents, type Adjacency } from './comparison-graph';
import { createSeededRandom, type SeededRandom } from './random';

/**
 * Judgments of one model pair. BOTH_BAD judgments are counted in `ties` unless the caller drops them.
 * Several rows for the same pair (in either order) are added up.
 */
export interface PairOutcomeCounts {
  modelA: string;
  modelB: string;
  winsA: number;
  winsB: number;
  ties: number;
}

/**
 * The judgments of the rows grouped into the units a bootstrap redraws together, identical units grouped
 * (`groupIdentical`): each pattern lists its outcomes as cells 3 * row + (0 a win of A, 1 of B, 2 a tie), a
 * cell once per outcome. A ranking is one unit holding its C(K,2) pairs; a pair's judgment is a unit of one.
 * The patterns times their multiplicities must add up to the rows' counts.
 */
export type OutcomeUnits = GroupedUnits<Int32Array>;

/** Elo scale of the published leaderboards (FastChat, arena-rank): 400 points = a factor 10 in odds. */
export const ELO_SCALE = 400;
export const ELO_BASE = 10;
/** Ratings are shifted so that the estimable models average this value. */
export const ELO_MEAN = 1000;

/** Why a model has no rating: its maximum-likelihood strength would be infinite or is not tied to the others. */
export type NotEstimableReason =
  | 'no-judgments'
  | 'disconnected'
  | 'won-every-comparison'
  | 'lost-every-comparison'
  | 'no-finite-estimate';

export interface ModelRating {
  model: string;
  rating: number | null;
  ci: [number, number] | null;
  judgments: number;
  wins: number;
  losses: number;
  ties: number;
  estimable: boolean;
  reason?: NotEstimableReason;
}

export interface Leaderboard {
  /** Estimable models by rating, best first, then the others by name. */
  ratings: ModelRating[];
  /** Row and column order of the two matrices: the order of `ratings`. */
  models: string[];
  /** `winRates[i][j]`: share of judgments between models i and j won by i, ties as half; null when they never met. */
  winRates: (number | null)[][];
  /** `pairJudgments[i][j]`: judgments between models i and j. */
  pairJudgments: number[][];
  bootstrap: { rounds: number; used: number; dropped: number; seed: number };
  /**
   * Each model's bootstrap ratings, in the order of `ratings`: round r of every estimable model comes from the
   * same resample (so differences of two models' replicates are the difference's bootstrap); empty when not estimable.
   */
  replicates: number[][];
}

const ELO_PER_NAT = ELO_SCALE / Math.log(ELO_BASE);
/**
 * Last step that ends a bootstrap refit, in natural-log units: each chord step of a refit at least
 * halves the one before, so the iterate is then within about 1e-6 (2e-4 Elo points) of the optimum,
 * far below the spread of the replicates.
 */
const BOOTSTRAP_TOLERANCE = 1e-6;

/**
 * Fits Bradley-Terry by unregularised maximum likelihood on the largest strongly connected part of
 * the win graph (ties count in both directions), where the MLE exists; every other model is reported
 * as not estimable with the reason. The interval of each rating is a percentile bootstrap over
 * judgments: each round redraws all counts as one multinomial (binomial splitting, one exact draw per
 * count cell), or, given `units`, redraws those units (a ranking's C(K,2) pairs stay together, as they are
 * not independent); rounds where the estimable models lose strong connectivity are dropped and counted.
 */
export function bradleyTerryLeaderboard(rows: readonly PairOutcomeCounts[], options: BootstrapOptions & { units?: OutcomeUnits } = {}): Leaderboard {
  const { rounds, seed, level } = { ...DEFAULT_BOOTSTRAP, ...options };
  const graph = aggregate(rows);
  const redraw = options.units ? unitRedraw(options.units, graph) : (random: SeededRandom, out: Float64Array) => sampleMultinomial(random, graph.counts, out);
  const core = estimableCore(graph);
  const coreView = restrictTo(graph, core);
  const theta = core.length >= 2 ? fitLogStrengths(coreView.data) : null;

  const replicates: number[][] = core.map(() => []);
  let dropped = 0;
  if (theta) {
    const random = createSeededRandom(seed);
    const resampled = new Float64Array(graph.counts.length);
    const refit = createRefitter(coreView.data, theta, BOOTSTRAP_TOLERANCE);
    const edges = winEdges(coreView.data);
    for (let round = 0; round < rounds; round++) {
      coreView.load(redraw(random, resampled));
      // A resample only loses edges (a zero count stays zero): with all of them the core stays connected.
      const connected = sameWinEdges(coreView.data, edges) || isStronglyConnected(winGraph(coreView.data));
      const fitted = connected ? refit() : null;
      if (!fitted) {
        dropped++;
        continue;
      }
      fitted.forEach((t, i) => replicates[i]!.push(toElo(t)));
    }
  }

  const tallies = tally(graph);
  const ratingOf = new Map(core.map((model, i) => [model, i]));
  const reasons = notEstimableReasons(graph, theta ? core : [], tallies);
  const ratings = graph.names.map((model, i): ModelRating => {
    const at = ratingOf.get(i);
    const counts = { judgments: tallies.judgments[i]!, wins: tallies.wins[i]!, losses: tallies.losses[i]!, ties: tallies.ties[i]! };
    if (theta && at !== undefined) {
      return { model, rating: toElo(theta[at]!), ci: percentileInterval(replicates[at]!, level), ...counts, estimable: true };
    }
    return { model, rating: null, ci: null, ...counts, estimable: false, reason: reasons.get(i) ?? 'no-finite-estimate' };
  });
  const order = ratings
    .map((r, i) => ({ r, i }))
    .sort((x, y) => (y.r.rating ?? -Infinity) - (x.r.rating ?? -Infinity) || (x.r.model < y.r.model ? -1 : 1))
    .map(({ i }) => i);
  return {
    ratings: order.map((i) => ratings[i]!),
    models: order.map((i) => graph.names[i]!),
    winRates: order.map((i) => order.map((j) => graph.pairStats(i, j).winRate)),
    pairJudgments: order.map((i) => order.map((j) => graph.pairStats(i, j).judgments)),
    bootstrap: { rounds: theta ? rounds : 0, used: theta ? rounds - dropped : 0, dropped, seed },
    replicates: order.map((i) => {
      const at = ratingOf.get(i);
      return theta && at !== undefined ? replicates[at]! : [];
    }),
  };
}

function toElo(logStrength: number): number {
  return ELO_MEAN + ELO_PER_NAT * logStrength;
}

interface ModelGraph extends PairCounts {
  names: string[];
  counts: Float64Array;
  /** The cell of `counts` each row's cell 3 * row + outcome adds to. */
  cellOfRow: Int32Array;
  pairStats(i: number, j: number): { judgments: number; winRate: number | null };
}

function aggregate(rows: readonly PairOutcomeCounts[]): ModelGraph {
  for (const row of rows) {
    if (row.modelA === row.modelB) throw new RangeError(`A model cannot be compared with itself: ${row.modelA}`);
    for (const n of [row.winsA, row.winsB, row.ties]) {
      if (!Number.isInteger(n) || n < 0) throw new RangeError(`Counts must be non-negative integers, got ${n} for ${row.modelA} vs ${row.modelB}`);
    }
  }
  const names = [...new Set(rows.flatMap((r) => [r.modelA, r.modelB]))].sort();
  const indexOf = new Map(names.map((name, i) => [name, i]));
  const pairIndex = new Map<number, number>();
  const first: number[] = [];
  const second: number[] = [];
  const counts: number[] = [];
  const cellOfRow = new Int32Array(3 * rows.length);
  rows.forEach((row, r) => {
    const [a, b] = [indexOf.get(row.modelA)!, indexOf.get(row.modelB)!];
    const [i, j, winsI, winsJ] = a < b ? [a, b, row.winsA, row.winsB] : [b, a, row.winsB, row.winsA];
    const key = i * names.length + j;
    let p = pairIndex.get(key);
    if (p === undefined) {
      pairIndex.set(key, (p = first.length));
      first.push(i);
      second.push(j);
      counts.push(0, 0, 0);
    }
    cellOfRow.set(a < b ? [3 * p, 3 * p + 1, 3 * p + 2] : [3 * p + 1, 3 * p, 3 * p + 2], 3 * r);
    counts[3 * p]! += winsI;
    counts[3 * p + 1]! += winsJ;
    counts[3 * p + 2]! += row.ties;
  });
  const countsArray = Float64Array.from(counts);
  return {
    names,
    models: names.length,
    first: Int32Array.from(first),
    second: Int32Array.from(second),
    counts: countsArray,
    cellOfRow,
    pairStats(i, j) {
      const p = pairIndex.get(Math.min(i, j) * names.length + Math.max(i, j));
      if (p === undefined || i === j) return { judgments: 0, winRate: null };
      const [winsI, winsJ, ties] = [countsArray[3 * p]!, countsArray[3 * p + 1]!, countsArray[3 * p + 2]!];
      const judgments = winsI + winsJ + ties;
      if (judgments === 0) return { judgments, winRate: null };
      return { judgments, winRate: ((i < j ? winsI : winsJ) + ties / 2) / judgments };
    },
  };
}

/** i -> j when i beat j at least once; a tie links both ways. */
function winGraph(data: PairCounts): Adjacency {
  const adjacency: Adjacency = Array.from({ length: data.models }, () => []);
  for (let p = 0; p < data.first.length; p++) {
    const [a, b] = [data.first[p]!, data.second[p]!];
    const tied = data.counts[3 * p + 2]! > 0;
    if (data.counts[3 * p]! > 0 || tied) adjacency[a]!.push(b);
    if (data.counts[3 * p + 1]! > 0 || tied) adjacency[b]!.push(a);
  }
  return adjacency;
}

/** Per pair, bit 1: the first model beat the second at least once (or they tied), bit 2: the other way round. */
function winEdges(data: PairCounts): Uint8Array {
  const edges = new Uint8Array(data.first.length);
  for (let p = 0; p < edges.length; p++) {
    const tied = data.counts[3 * p + 2]! > 0;
    edges[p] = (data.counts[3 * p]! > 0 || tied ? 1 : 0) | (data.counts[3 * p + 1]! > 0 || tied ? 2 : 0);
  }
  return edges;
}

function sameWinEdges(data: PairCounts, edges: Uint8Array): boolean {
  for (let p = 0; p < edges.length; p++) {
    const tied = data.counts[3 * p + 2]! > 0;
    if (((data.counts[3 * p]! > 0 || tied ? 1 : 0) | (data.counts[3 * p + 1]! > 0 || tied ? 2 : 0)) !== edges[p]) return false;
  }
  return true;
}

/** The models of the strongly connected component holding the most judgments (ties broken by model order). */
function estimableCore(graph: ModelGraph): number[] {
  const component = stronglyConnectedComponents(winGraph(graph));
  const weight = new Map<number, number>();
  for (let p = 0; p < graph.first.length; p++) {
    const c = component[graph.first[p]!]!;
    if (c !== component[graph.second[p]!]) continue;
    weight.set(c, (weight.get(c) ?? 0) + graph.counts[3 * p]! + graph.counts[3 * p + 1]! + graph.counts[3 * p + 2]!);
  }
  let best = -1;
  for (const [c, w] of weight) {
    if (w > (weight.get(best) ?? 0) || (w === weight.get(best) && component.indexOf(c) < component.indexOf(best))) best = c;
  }
  return component.flatMap((c, model) => (c === best ? [model] : []));
}

/**
 * The pairs among `core` models, renumbered 0..core.length-1 in core order, with a counts buffer that
 * `load` refills from counts of the whole graph (once per bootstrap round, without reallocating).
 */
function restrictTo(graph: ModelGraph, core: number[]): { data: PairCounts; load(counts: ArrayLike<number>): void } {
  const local = new Map(core.map((model, i) => [model, i]));
  const first: number[] = [];
  const second: number[] = [];
  const sourcePairs: number[] = [];
  for (let p = 0; p < graph.first.length; p++) {
    const [a, b] = [local.get(graph.first[p]!), local.get(graph.second[p]!)];
    if (a === undefined || b === undefined) continue;
    first.push(a);
    second.push(b);
    sourcePairs.push(p);
  }
  const counts = new Float64Array(3 * sourcePairs.length);
  const from = Int32Array.from(sourcePairs);
  const load = (source: ArrayLike<number>) => {
    for (let i = 0; i < from.length; i++) {
      const p = from[i]!;
      counts[3 * i] = source[3 * p]!;
      counts[3 * i + 1] = source[3 * p + 1]!;
      counts[3 * i + 2] = source[3 * p + 2]!;
    }
  };
  load(graph.counts);
  return { data: { models: core.length, first: Int32Array.from(first), second: Int32Array.from(second), counts }, load };
}

function tally(graph: ModelGraph) {
  const zeros = () => new Array<number>(graph.models).fill(0);
  const result = { judgments: zeros(), wins: zeros(), losses: zeros(), ties: zeros() };
  for (let p = 0; p < graph.first.length; p++) {
    const [a, b] = [graph.first[p]!, graph.second[p]!];
    const [winsA, winsB, ties] = [graph.counts[3 * p]!, graph.counts[3 * p + 1]!, graph.counts[3 * p + 2]!];
    for (const [model, wins, losses] of [[a, winsA, winsB], [b, winsB, winsA]] as const) {
      result.judgments[model]! += wins + losses + ties;
      result.wins[model]! += wins;
      result.losses[model]! += losses;
      result.ties[model]! += ties;
    }
  }
  return result;
}

function notEstimableReasons(graph: ModelGraph, core: number[], tallies: ReturnType<typeof tally>): Map<number, NotEstimableReason> {
  const linked: Adjacency = Array.from({ length: graph.models }, () => []);
  for (let p = 0; p < graph.first.length; p++) {
    if (graph.counts[3 * p]! + graph.counts[3 * p + 1]! + graph.counts[3 * p + 2]! === 0) continue;
    linked[graph.first[p]!]!.push(graph.second[p]!);
    linked[graph.second[p]!]!.push(graph.first[p]!);
  }
  const reachable = new Set(core);
  const stack = [...core];
  while (stack.length > 0) {
    for (const next of linked[stack.pop()!]!) {
      if (reachable.has(next)) continue;
      reachable.add(next);
      stack.push(next);
    }
  }
  const reasons = new Map<number, NotEstimableReason>();
  for (let model = 0; model < graph.models; model++) {
    if (core.includes(model)) continue;
    const [judgments, wins, losses, ties] = [tallies.judgments[model]!, tallies.wins[model]!, tallies.losses[model]!, tallies.ties[model]!];
    if (judgments === 0) reasons.set(model, 'no-judgments');
    else if (losses + ties === 0) reasons.set(model, 'won-every-comparison');
    else if (wins + ties === 0) reasons.set(model, 'lost-every-comparison');
    else if (core.length > 0 && !reachable.has(model)) reasons.set(model, 'disconnected');
    else reasons.set(model, 'no-finite-estimate');
  }
  return reasons;
}

/**
 * One bootstrap round over units: their multiplicities redrawn as a multinomial of all units, then each
 * pattern's outcomes added as often as it was drawn, into the graph's count cells.
 */
function unitRedraw(units: OutcomeUnits, graph: ModelGraph): (random: SeededRandom, out: Float64Array) => Float64Array {
  const total = units.multiplicities.reduce((sum, m) => sum + m, 0);
  const resample = createUnitResampler(units.multiplicities, total);
  const weights = new Float64Array(units.patterns.length);
  const patterns = units.patterns.map((pattern) => pattern.map((cell) => graph.cellOfRow[cell]!));
  const sums = new Float64Array(graph.counts.length);
  patterns.forEach((pattern, p) => pattern.forEach((cell) => (sums[cell]! += units.multiplicities[p]!)));
  if (sums.some((n, cell) => n !== graph.counts[cell])) throw new RangeError('the units do not add up to the rows they resample');
  return (random, out) => {
    resample(random, weights);
    out.fill(0);
    for (let p = 0; p < patterns.length; p++) {
      const w = weights[p]!;
      if (w === 0) continue;
      const pattern = patterns[p]!;
      for (let i = 0; i < pattern.length; i++) out[pattern[i]!]! += w;
    }
    return out;
  };
}
