// Domain cost of the stats endpoint at 1,000,000 judgments: npx tsx bench/stats-domain.ts
import { computeAgreementSummary, signedStrength, type AgreementJudgment } from '../server/domain/stats/agreement-summary';
import { bradleyTerryLeaderboard, type PairOutcomeCounts } from '../server/domain/stats/bradley-terry';
import { createSeededRandom, type Uniform } from '../server/domain/stats/random';

const MODELS = 50;
const JUDGMENTS = 1_000_000;
const ROUNDS = 1000;

/** Counts of a plausible campaign: every pair compared, outcomes drawn from hidden strengths. */
function syntheticCounts(random: Uniform): PairOutcomeCounts[] {
  const strength = Array.from({ length: MODELS }, () => 2 * random() - 1);
  const pairs = (MODELS * (MODELS - 1)) / 2;
  const rows: PairOutcomeCounts[] = [];
  let left = JUDGMENTS;
  for (let i = 0; i < MODELS; i++) {
    for (let j = i + 1; j < MODELS; j++) {
      const n = rows.length === pairs - 1 ? left : Math.floor(JUDGMENTS / pairs);
      left -= n;
      const pWin = 1 / (1 + Math.exp(strength[j]! - strength[i]!));
      const ties = Math.round(0.1 * n);
      const winsA = Math.round((n - ties) * pWin);
      rows.push({ modelA: `model-${i}`, modelB: `model-${j}`, winsA, winsB: n - ties - winsA, ties });
    }
  }
  return rows;
}

/** k = 3 judgments per comparison by `raterCount` raters; each rater sees the true preference through noise. */
function syntheticJudgments(random: Uniform, raterCount: number): AgreementJudgment[] {
  const judgments: AgreementJudgment[] = [];
  for (let c = 0; judgments.length < JUDGMENTS; c++) {
    const truth = Math.floor(random() * 7) - 3;
    const raters = new Set<number>();
    while (raters.size < 3) raters.add(Math.floor(random() * raterCount));
    for (const rater of raters) {
      const seen = Math.max(-3, Math.min(3, truth + Math.round(2 * (random() - 0.5))));
      const choice = seen > 0 ? 'A' : seen < 0 ? 'B' : random() < 0.2 ? 'BOTH_BAD' : 'TIE';
      judgments.push({ comparisonId: `c${c}`, raterId: `r${rater}`, choice, signedStrength: signedStrength(choice, Math.abs(seen)) });
    }
  }
  return judgments;
}

/** Baseline: the textbook bootstrap that redraws every judgment one by one (no refit), per round. */
function naiveResampleMs(rows: PairOutcomeCounts[], rounds: number): number {
  const cumulative = new Float64Array(rows.length * 3);
  let total = 0;
  rows.forEach((r, p) => [r.winsA, r.winsB, r.ties].forEach((n, o) => (cumulative[3 * p + o] = total += n)));
  const random = createSeededRandom(1);
  const counts = new Float64Array(cumulative.length);
  const started = performance.now();
  for (let round = 0; round < rounds; round++) {
    counts.fill(0);
    for (let draw = 0; draw < total; draw++) {
      const target = random() * total;
      let [low, high] = [0, cumulative.length - 1];
      while (low < high) {
        const mid = (low + high) >> 1;
        if (cumulative[mid]! > target) high = mid;
        else low = mid + 1;
      }
      counts[low]!++;
    }
  }
  return (performance.now() - started) / rounds;
}

const rows = syntheticCounts(createSeededRandom(2024));
const total = rows.reduce((sum, r) => sum + r.winsA + r.winsB + r.ties, 0);
bradleyTerryLeaderboard(rows, { rounds: 20 }); // warm up the JIT

// The machine may be shared: report the fastest and the median of a few runs.
const timings: number[] = [];
let board = bradleyTerryLeaderboard(rows, { rounds: 0 });
for (let run = 0; run < 5; run++) {
  const started = performance.now();
  board = bradleyTerryLeaderboard(rows, { rounds: ROUNDS, seed: run + 1 });
  timings.push(performance.now() - started);
}
timings.sort((a, b) => a - b);
const naivePerRound = naiveResampleMs(rows, 3);

console.log(`Bradley-Terry, ${MODELS} models, ${total.toLocaleString('en')} judgments, ${ROUNDS} bootstrap rounds`);
console.log(`  fit + bootstrap (binomial splitting): ${timings[0]!.toFixed(0)} ms fastest, ${timings[2]!.toFixed(0)} ms median of 5  (${board.bootstrap.used} rounds used, ${board.bootstrap.dropped} dropped)`);
console.log(`  baseline, per-judgment resampling alone: ${naivePerRound.toFixed(1)} ms per round = ${((naivePerRound * ROUNDS) / 1000).toFixed(1)} s for ${ROUNDS} rounds, before any refit`);

// A small team (12 raters: comparisons fall into a few thousand rater-and-label patterns) and a crowd
// (60 raters: nearly every comparison is unique, so the pairwise Cohen bootstrap is cut to its draw cap).
for (const raterCount of [12, 60]) {
  const judgments = syntheticJudgments(createSeededRandom(7), raterCount);
  const agreementStarted = performance.now();
  const summary = computeAgreementSummary(judgments, { rounds: ROUNDS });
  const agreementMs = performance.now() - agreementStarted;
  console.log(`Agreement summary, ${raterCount} raters, ${judgments.length.toLocaleString('en')} judgments, ${summary.comparisons.toLocaleString('en')} comparisons`);
  console.log(
    `  alpha x3 + Fleiss (${summary.fleissKappa.rounds} rounds) + pairwise Cohen over ${summary.cohenPairwise.pairs.length} rater pairs (${summary.cohenPairwise.rounds} rounds): ${agreementMs.toFixed(0)} ms`,
  );
}
