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
export const EXACT_TOLERANCE = 1e-10;

/**
 * Log-strengths (natural log, mean 0) maximising the likelihood, or null when Newton's system is
 * singular or does not converge (call it only on a strongly connected win graph, where the MLE exists).
 * `start` warm-starts the search (bootstrap rounds start from the point estimate); `tolerance` is the
 * largest last step accepted as converged.
 */
export function fitLogStrengths(data: PairCounts, start?: Float64Array, tolerance = EXACT_TOLERANCE): Float64Array | null {
  const m = data.models;
  let theta = start ? Float64Array.from(start) : new Float64Array(m);
  if (m === 1) return theta;
  let current = evaluate(data, theta);
  for (let iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
    // The likelihood only sees differences: pin the last model at its current value.
    const step = solveCholesky(current.information, current.gradient, m, m - 1);
    if (!step) return null;
    // Damped Newton: halve the step until the (concave) log-likelihood does not fall.
    let scale = 1;
    let trial = theta;
    let next = current;
    for (let halvings = 0; halvings < 50; halvings++) {
      trial = theta.map((t, i) => (i < m - 1 ? t + scale * step[i]! : t));
      next = evaluate(data, trial);
      if (next.logLikelihood >= current.logLikelihood - 1e-12 * Math.abs(current.logLikelihood)) break;
      scale /= 2;
    }
    let largest = 0;
    for (let i = 0; i < m; i++) largest = Math.max(largest, Math.abs(trial[i]! - theta[i]!));
    theta = trial;
    current = next;
    if (largest < tolerance) return centre(theta);
  }
  return null;
}

/** Chord steps a bootstrap refit may take before it hands over to full Newton steps. */
const CHORD_ITERATIONS = 30;

/**
 * Refits for bootstrap rounds: `refit()` fits the counts that `data.counts` holds at the time of the
 * call, starting from `start`, by chord steps, that is Newton steps that keep the information matrix of
 * the first data at `start`, factorised once. A resample's information differs from it by a few
 * percent, so each step cuts the error about twentyfold for the cost of one gradient and two triangular
 * solves instead of a Hessian and a factorisation. The same maximum is reached (the step vanishes only
 * at a zero of the gradient); when the steps stop shrinking fast, the refit goes on by `fitLogStrengths`.
 */
export function createRefitter(data: PairCounts, start: Float64Array, tolerance: number): () => Float64Array | null {
  const m = data.models;
  const lower = m > 1 ? choleskyFactor(evaluate(data, start).information, m, m - 1) : null;
  const gradient = new Float64Array(m);
  const step = new Float64Array(Math.max(0, m - 1));
  return () => {
    if (m === 1) return Float64Array.from(start);
    if (!lower) return fitLogStrengths(data, start, tolerance);
    const theta = Float64Array.from(start);
    let previous = Infinity;
    for (let iteration = 0; iteration < CHORD_ITERATIONS; iteration++) {
      scoreInto(data, theta, gradient);
      solveWithFactor(lower, gradient, m - 1, step);
      let largest = 0;
      for (let i = 0; i < m - 1; i++) {
        theta[i]! += step[i]!;
        largest = Math.max(largest, Math.abs(step[i]!));
      }
      if (!Number.isFinite(largest)) break;
      if (largest < tolerance) return centre(theta);
      // Steps that do not at least halve mean the fixed matrix is too far from this resample's.
      if (iteration >= 2 && largest > previous / 2) break;
      previous = largest;
    }
    return fitLogStrengths(data, start, tolerance);
  };
}

/** The gradient of the log-likelihood (ties as half a win each) at theta, into `gradient`. */
function scoreInto(data: PairCounts, theta: Float64Array, gradient: Float64Array): void {
  gradient.fill(0);
  for (let p = 0; p < data.first.length; p++) {
    const ties = data.counts[3 * p + 2]!;
    const winsFirst = data.counts[3 * p]! + ties / 2;
    const n = winsFirst + data.counts[3 * p + 1]! + ties / 2;
    if (n === 0) continue;
    const a = data.first[p]!;
    const b = data.second[p]!;
    const residual = winsFirst - n / (1 + Math.exp(theta[b]! - theta[a]!));
    gradient[a]! += residual;
    gradient[b]! -= residual;
  }
}

function centre(theta: Float64Array): Float64Array {
  const mean = theta.reduce((sum, t) => sum + t, 0) / theta.length;
  return theta.map((t) => t - mean);
}

/**
 * Log-likelihood, its gradient and the observed information (minus the Hessian, a weighted graph
 * Laplacian) in one pass, sharing one exponential per pair.
 */
function evaluate(data: PairCounts, theta: Float64Array) {
  const m = data.models;
  const gradient = new Float64Array(m);
  const information = new Float64Array(m * m);
  let logLikelihood = 0;
  for (let p = 0; p < data.first.length; p++) {
    const ties = data.counts[3 * p + 2]!;
    const winsFirst = data.counts[3 * p]! + ties / 2;
    const winsSecond = data.counts[3 * p + 1]! + ties / 2;
    const n = winsFirst + winsSecond;
    if (n === 0) continue;
    const a = data.first[p]!;
    const b = data.second[p]!;
    const difference = theta[a]! - theta[b]!;
    // With d = theta_a - theta_b: P(a wins) = 1 / (1 + e^-d); log P(a wins) = -softplus(-d), log P(b wins) = -softplus(d).
    const e = Math.exp(-Math.abs(difference));
    const softplusAbs = Math.log1p(e);
    const probability = difference >= 0 ? 1 / (1 + e) : e / (1 + e);
    logLikelihood -= difference >= 0
      ? winsFirst * softplusAbs + winsSecond * (difference + softplusAbs)
      : winsFirst * (softplusAbs - difference) + winsSecond * softplusAbs;
    const residual = winsFirst - n * probability;
    gradient[a]! += residual;
    gradient[b]! -= residual;
    const variance = n * probability * (1 - probability);
    information[a * m + a]! += variance;
    information[b * m + b]! += variance;
    information[a * m + b]! -= variance;
    information[b * m + a]! -= variance;
  }
  return { logLikelihood, gradient, information };
}

/** Solves the leading `size` x `size` block of a symmetric positive-definite system; null if not positive definite. */
function solveCholesky(matrix: Float64Array, rhs: Float64Array, stride: number, size: number): Float64Array | null {
  const lower = choleskyFactor(matrix, stride, size);
  return lower && solveWithFactor(lower, rhs, size, new Float64Array(size));
}

/** The lower Cholesky factor of the leading `size` x `size` block of a symmetric matrix; null if not positive definite. */
function choleskyFactor(matrix: Float64Array, stride: number, size: number): Float64Array | null {
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
  return lower;
}

/** Solves L L^T x = rhs (the first `size` entries of rhs) into `solution`. */
function solveWithFactor(lower: Float64Array, rhs: ArrayLike<number>, size: number, solution: Float64Array): Float64Array {
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
