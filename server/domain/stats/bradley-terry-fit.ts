// Unregularised maximum-likelihood Bradley-Terry fit (ties as half a win each) by damped Newton steps.

/**
 * Counts of one comparison graph, three cells per pair: `counts[3p]` wins of `first[p]`,
 * `counts[3p + 1]` wins of `second[p]`, `counts[3p + 2]` ties.
 */
export interface PairCounts {
  models: number;
  first: Int32Array;
  second: Int32Array;
  counts: ArrayLike<number>;
}

const MAX_ITERATIONS = 200;
/** Natural-log units; 1e-10 is about 2e-8 Elo points, far inside any test tolerance. */
const TOLERANCE = 1e-10;

/**
 * Log-strengths (natural log, mean 0) maximising the likelihood, or null when Newton's system is
 * singular or does not converge (call it only on a strongly connected win graph, where the MLE exists).
 * `start` warm-starts the search (bootstrap rounds start from the point estimate).
 */
export function fitLogStrengths(data: PairCounts, start?: Float64Array): Float64Array | null {
  const m = data.models;
  const theta = start ? Float64Array.from(start) : new Float64Array(m);
  if (m === 1) return theta;
  const gradient = new Float64Array(m);
  const information = new Float64Array(m * m);
  const trial = new Float64Array(m);
  let current = logLikelihood(data, theta);
  for (let iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
    accumulateDerivatives(data, theta, gradient, information);
    // The likelihood only sees differences: pin the last model at its current value.
    const step = solveCholesky(information, gradient, m, m - 1);
    if (!step) return null;
    let scale = 1;
    let next = current;
    for (let halvings = 0; halvings < 50; halvings++) {
      for (let i = 0; i < m - 1; i++) trial[i] = theta[i]! + scale * step[i]!;
      trial[m - 1] = theta[m - 1]!;
      next = logLikelihood(data, trial);
      if (next >= current - 1e-12 * Math.abs(current)) break;
      scale /= 2;
    }
    let largest = 0;
    for (let i = 0; i < m; i++) largest = Math.max(largest, Math.abs(trial[i]! - theta[i]!));
    theta.set(trial);
    current = next;
    if (largest < TOLERANCE) return centre(theta);
  }
  return null;
}

function centre(theta: Float64Array): Float64Array {
  const mean = theta.reduce((sum, t) => sum + t, 0) / theta.length;
  return theta.map((t) => t - mean);
}

function logLikelihood(data: PairCounts, theta: Float64Array): number {
  let total = 0;
  for (let p = 0; p < data.first.length; p++) {
    const winsFirst = data.counts[3 * p]! + data.counts[3 * p + 2]! / 2;
    const winsSecond = data.counts[3 * p + 1]! + data.counts[3 * p + 2]! / 2;
    if (winsFirst + winsSecond === 0) continue;
    const difference = theta[data.first[p]!]! - theta[data.second[p]!]!;
    // log P(first beats second) = -softplus(-d); log P(second beats first) = -softplus(d).
    total -= winsFirst * softplus(-difference) + winsSecond * softplus(difference);
  }
  return total;
}

function softplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

/** Gradient of the log-likelihood and the observed information (minus the Hessian, a weighted graph Laplacian). */
function accumulateDerivatives(data: PairCounts, theta: Float64Array, gradient: Float64Array, information: Float64Array): void {
  const m = data.models;
  gradient.fill(0);
  information.fill(0);
  for (let p = 0; p < data.first.length; p++) {
    const n = data.counts[3 * p]! + data.counts[3 * p + 1]! + data.counts[3 * p + 2]!;
    if (n === 0) continue;
    const a = data.first[p]!;
    const b = data.second[p]!;
    const probability = 1 / (1 + Math.exp(theta[b]! - theta[a]!));
    const residual = data.counts[3 * p]! + data.counts[3 * p + 2]! / 2 - n * probability;
    gradient[a]! += residual;
    gradient[b]! -= residual;
    const variance = n * probability * (1 - probability);
    information[a * m + a]! += variance;
    information[b * m + b]! += variance;
    information[a * m + b]! -= variance;
    information[b * m + a]! -= variance;
  }
}

/** Solves the leading `size` x `size` block of a symmetric positive-definite system; null if not positive definite. */
function solveCholesky(matrix: Float64Array, rhs: Float64Array, stride: number, size: number): Float64Array | null {
  const lower = new Float64Array(size * size);
  for (let i = 0; i < size; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = matrix[i * stride + j]!;
      for (let k = 0; k < j; k++) sum -= lower[i * size + k]! * lower[j * size + k]!;
      if (i === j) {
        if (!(sum > 1e-300)) return null;
        lower[i * size + i] = Math.sqrt(sum);
      } else {
        lower[i * size + j] = sum / lower[j * size + j]!;
      }
    }
  }
  const solution = new Float64Array(size);
  for (let i = 0; i < size; i++) {
    let sum = rhs[i]!;
    for (let k = 0; k < i; k++) sum -= lower[i * size + k]! * solution[k]!;
    solution[i] = sum / lower[i * size + i]!;
  }
  for (let i = size - 1; i >= 0; i--) {
    let sum = solution[i]!;
    for (let k = i + 1; k < size; k++) sum -= lower[k * size + i]! * solution[k]!;
    solution[i] = sum / lower[i * size + i]!;
  }
  return solution;
}
