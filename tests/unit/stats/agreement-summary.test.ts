// computeAgreementSummary: the dashboard's one call, checked against the published vectors and the single statistics.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { computeAgreementSummary, computeAgreementSummaryOfColumns, signedStrength, type AgreementJudgment } from '../../../server/domain/stats/agreement-summary';
import { pairwiseCohenKappa } from '../../../server/domain/stats/cohen';
import { fleissKappa } from '../../../server/domain/stats/fleiss';
import { krippendorffAlpha, reliabilityFromUnits } from '../../../server/domain/stats/krippendorff';
import type { Choice } from '../../../server/domain/stats/rater-quality';

describe('signedStrength', () => {
  it('puts A above zero, B below, a tie at zero and leaves both-bad out', () => {
    expect(signedStrength('A', 3)).toBe(3);
    expect(signedStrength('B', 2)).toBe(-2);
    expect(signedStrength('TIE', null)).toBe(0);
    expect(signedStrength('BOTH_BAD', 1)).toBeNull();
    expect(signedStrength('A', null)).toBeNull();
  });
});

describe('computeAgreementSummary', () => {
  // Krippendorff (2011): 4 observers x 12 units on a 1..5 scale, read as signed strengths -2..2 (alpha is shift-invariant).
  const vector = JSON.parse(readFileSync(new URL('../../fixtures/agreement/krippendorff_2011.json', import.meta.url), 'utf8')) as {
    reliability_data: (number | null)[][];
    expected: { ordinal: number; interval: number };
    tolerance: number;
  };
  const judgments: AgreementJudgment[] = vector.reliability_data.flatMap((row, coder) =>
    row.flatMap((value, unit) => {
      if (value === null) return [];
      const strength = value - 3;
      const choice: Choice = strength > 0 ? 'A' : strength < 0 ? 'B' : 'TIE';
      return [{ comparisonId: `u${unit}`, raterId: `coder-${coder}`, choice, signedStrength: strength }];
    }),
  );

  it('gives the published ordinal and interval alpha on the signed strengths', () => {
    const summary = computeAgreementSummary(judgments, { rounds: 200, minOverlap: 5 });
    expect(Math.abs(summary.alphaOrdinal.value! - vector.expected.ordinal)).toBeLessThanOrEqual(vector.tolerance);
    expect(Math.abs(summary.alphaInterval.value! - vector.expected.interval)).toBeLessThanOrEqual(vector.tolerance);
    expect(summary.alphaInterval.units).toBe(11);
    expect(summary.judgments).toBe(judgments.length);
    expect(summary.comparisons).toBe(12);
  });

  it('gives quadratic-weighted Cohen kappa on the signed strengths, pair by pair as the single function does', () => {
    const summary = computeAgreementSummary(judgments, { rounds: 200, minOverlap: 5 });
    const labels = judgments.map((j) => ({ unit: j.comparisonId, rater: j.raterId, value: j.signedStrength! }));
    const single = pairwiseCohenKappa(labels, { minOverlap: 5, weighting: 'quadratic', categories: [-2, -1, 0, 1, 2], rounds: 200 });
    const weighted = summary.cohenWeightedPairwise!;
    expect(weighted.pairs).toEqual(single.pairs);
    expect(weighted.pairs.length).toBeGreaterThan(0);
    expect(weighted.value).toBeCloseTo(single.mean.value!, 12);
    // Weighted kappa gives credit for near misses on this ordinal scale: above the plain kappa on the same labels.
    const plain = pairwiseCohenKappa(labels, { minOverlap: 5, categories: [-2, -1, 0, 1, 2], rounds: 0 });
    expect(weighted.value!).toBeGreaterThan(plain.mean.value!);
    // Without strengths there is nothing to weigh.
    const noStrength = computeAgreementSummary(judgments.map((j) => ({ ...j, signedStrength: null })), { rounds: 10, minOverlap: 5 });
    expect(noStrength.cohenWeightedPairwise).toBeNull();
  });

  it('computes the choice statistics exactly as the single functions do', () => {
    const summary = computeAgreementSummary(judgments, { rounds: 200, minOverlap: 5 });
    const byUnit = new Map<string, Choice[]>();
    for (const j of judgments) byUnit.set(j.comparisonId, [...(byUnit.get(j.comparisonId) ?? []), j.choice]);
    expect(summary.alphaNominal.value).toBeCloseTo(krippendorffAlpha(reliabilityFromUnits(byUnit.values()), 'nominal')!, 12);
    // Units hold 3, 4 (x8), 3, 2 and 1 values: Fleiss' kappa uses the eight units with 4.
    expect(summary.fleissKappa.k).toBe(4);
    const counts = [...byUnit.values()].filter((c) => c.length === 4).map((c) => (['A', 'B', 'TIE', 'BOTH_BAD'] as Choice[]).map((x) => c.filter((y) => y === x).length));
    expect(summary.fleissKappa.value).toBeCloseTo(fleissKappa(counts).kappa!, 12);
    expect(summary.fleissKappa.units).toBe(8);
    expect(summary.cohenPairwise.pairs.length).toBeGreaterThan(0);
    expect(summary.cohenPairwise.pairs.every((p) => p.overlap >= 5)).toBe(true);
  });

  it('reports no Fleiss kappa for k below 2 instead of throwing', () => {
    const one = computeAgreementSummary(judgments, { k: 1, rounds: 20 });
    expect(one.fleissKappa).toEqual({ value: null, ci: null, units: 0, rounds: 0, k: 1 });
    expect(one.alphaNominal.value).not.toBeNull();
  });

  it('honours an explicit k and is reproducible for a seed', () => {
    const three = computeAgreementSummary(judgments, { k: 3, rounds: 100, seed: 4 });
    expect(three.fleissKappa.k).toBe(3);
    expect(computeAgreementSummary(judgments, { k: 3, rounds: 100, seed: 4 })).toEqual(three);
  });

  it('reports perfect agreement as 1 and an empty campaign as undefined', () => {
    const perfect: AgreementJudgment[] = Array.from({ length: 40 }, (_, u) =>
      ['r1', 'r2', 'r3'].map((raterId) => ({ comparisonId: `c${u}`, raterId, choice: (u % 3 ? 'A' : 'B') as Choice, signedStrength: u % 3 ? 2 : -1 })),
    ).flat();
    const summary = computeAgreementSummary(perfect, { rounds: 50 });
    for (const estimate of [summary.alphaNominal, summary.alphaOrdinal, summary.alphaInterval, summary.fleissKappa, summary.cohenPairwise]) {
      expect(estimate.value).toBeCloseTo(1, 12);
      expect(estimate.ci).toEqual([1, 1]);
    }
    const empty = computeAgreementSummary([]);
    expect([empty.alphaNominal.value, empty.fleissKappa.value, empty.cohenPairwise.value, empty.fleissKappa.k]).toEqual([null, null, null, null]);
  });
});

describe('computeAgreementSummaryOfColumns with resampling groups (the derived pairs of ranking tasks)', () => {
  // 40 tasks of 6 comparisons, 3 raters each; raters agree on a task's comparisons or disagree on all of them, so
  // a task's comparisons move together: redrawn one by one they would look 6 times as many as they are.
  const tasks = 40;
  const [comparison, rater, choice, cluster] = [[], [], [], []] as number[][];
  for (let t = 0; t < tasks; t++) {
    const agree = t % 3 !== 0;
    for (let p = 0; p < 6; p++) {
      for (let r = 0; r < 3; r++) {
        comparison.push(t * 6 + p);
        rater.push(r);
        choice.push(agree ? (p + t) % 2 : (r + p) % 3);
        cluster.push(t);
      }
    }
  }
  const columns = () => ({
    comparison: Int32Array.from(comparison),
    rater: Int32Array.from(rater),
    choice: Uint8Array.from(choice),
    signedStrength: new Float64Array(comparison.length).fill(NaN),
  });
  const options = { rounds: 400, seed: 7, minOverlap: 1 };

  it('gives the same figures, with intervals over groups: units are groups, and the intervals widen', () => {
    const alone = computeAgreementSummaryOfColumns(columns(), options);
    const grouped = computeAgreementSummaryOfColumns({ ...columns(), cluster: Int32Array.from(cluster) }, options);
    for (const key of ['alphaNominal', 'fleissKappa', 'cohenPairwise'] as const) {
      expect(grouped[key].value).toBeCloseTo(alone[key].value!, 12);
      const width = (e: { ci: [number, number] | null }) => e.ci![1] - e.ci![0];
      // Six perfectly dependent comparisons per group: the group bootstrap's interval is about sqrt(6) times as wide.
      expect(width(grouped[key])).toBeGreaterThan(1.6 * width(alone[key]));
    }
    expect(alone.alphaNominal.units).toBe(tasks * 6);
    expect(grouped.alphaNominal.units).toBe(tasks);
    expect(grouped.fleissKappa.units).toBe(tasks);
    expect(grouped.comparisons).toBe(tasks * 6);
  });

  it('is the plain summary when every group holds one comparison', () => {
    const own = { ...columns(), cluster: Int32Array.from(comparison) };
    expect(computeAgreementSummaryOfColumns(own, options)).toEqual(computeAgreementSummaryOfColumns(columns(), options));
  });

  it("refuses groups whose comparisons are not numbered consecutively", () => {
    const scattered = Int32Array.from(comparison, (c) => c % 2);
    expect(() => computeAgreementSummaryOfColumns({ ...columns(), cluster: scattered }, options)).toThrow(/not numbered consecutively/);
  });
});
