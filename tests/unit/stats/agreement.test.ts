// Agreement statistics against every published vector in tests/fixtures/agreement.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cohenKappa, cohenKappaEstimate, contingencyTable, pairwiseCohenKappa, type KappaWeighting } from '../../../server/domain/stats/cohen';
import { fleissKappa, fleissKappaEstimate, fleissUnitAgreement } from '../../../server/domain/stats/fleiss';
import {
  krippendorffAlpha,
  krippendorffAlphaEstimate,
  reliabilityFromMatrix,
  reliabilityFromUnits,
  type AlphaMetric,
} from '../../../server/domain/stats/krippendorff';

function fixture<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../../fixtures/agreement/${name}`, import.meta.url), 'utf8')) as T;
}

/** Within a published tolerance, counted in the vector's own rounding. */
function expectClose(actual: number | null, expected: number, tolerance: number) {
  expect(actual).not.toBeNull();
  expect(Math.abs(actual! - expected)).toBeLessThanOrEqual(tolerance + 1e-12);
}

interface KrippendorffVector {
  name: string;
  reliability_data: (number | null)[][];
  expected: Partial<Record<AlphaMetric, number>>;
  tolerance: number;
}

describe("Krippendorff's alpha", () => {
  for (const file of ['krippendorff_wikipedia.json', 'krippendorff_2011.json']) {
    const vector = fixture<KrippendorffVector>(file);
    for (const [metric, expected] of Object.entries(vector.expected) as [AlphaMetric, number][]) {
      it(`${vector.name}: ${metric} = ${expected}`, () => {
        expectClose(krippendorffAlpha(reliabilityFromMatrix(vector.reliability_data), metric), expected, vector.tolerance);
      });
    }
  }

  it('leaves out units with fewer than two values', () => {
    const vector = fixture<KrippendorffVector>('krippendorff_2011.json');
    expect(reliabilityFromMatrix(vector.reliability_data).unpairableUnits).toBe(1);
    const wikipedia = fixture<KrippendorffVector>('krippendorff_wikipedia.json');
    expect(reliabilityFromMatrix(wikipedia.reliability_data).unpairableUnits).toBe(3);
  });

  it('gives the same alpha from per-unit value lists, whatever the coder order', () => {
    const vector = fixture<KrippendorffVector>('krippendorff_2011.json');
    const units = vector.reliability_data[0]!.map((_, u) =>
      vector.reliability_data.map((row) => row[u]!).filter((v) => v !== null).reverse(),
    );
    expect(krippendorffAlpha(reliabilityFromUnits(units), 'ordinal')).toBeCloseTo(
      krippendorffAlpha(reliabilityFromMatrix(vector.reliability_data), 'ordinal')!,
      12,
    );
  });

  it('codes nominal labels as strings and rejects them for metric scales', () => {
    const data = reliabilityFromUnits([['A', 'A'], ['B', 'A'], ['TIE', 'TIE'], ['B', 'B']]);
    expect(krippendorffAlpha(data, 'nominal')).not.toBeNull();
    expect(() => krippendorffAlpha(data, 'interval')).toThrow(TypeError);
  });

  it('is undefined when every value is the same', () => {
    expect(krippendorffAlpha(reliabilityFromUnits([[1, 1], [1, 1]]), 'nominal')).toBeNull();
  });

  it('bootstraps a reproducible interval around the estimate', () => {
    const data = reliabilityFromMatrix(fixture<KrippendorffVector>('krippendorff_wikipedia.json').reliability_data);
    const first = krippendorffAlphaEstimate(data, 'interval', { seed: 7, rounds: 500 });
    expect(krippendorffAlphaEstimate(data, 'interval', { seed: 7, rounds: 500 })).toEqual(first);
    expect(krippendorffAlphaEstimate(data, 'interval', { seed: 8, rounds: 500 }).ci).not.toEqual(first.ci);
    expect(first.units).toBe(12);
    expect(first.ci![0]).toBeLessThan(first.value!);
    expect(first.ci![1]).toBeGreaterThanOrEqual(first.value!);
  });
});

interface FleissVector {
  name: string;
  counts: number[][];
  expected: { kappa: number; P_bar: number; P_e: number; p_j: number[]; P_i: number[] };
  tolerance: number;
}

describe("Fleiss' kappa", () => {
  const vector = fixture<FleissVector>('fleiss_wikipedia.json');

  it(`${vector.name}: kappa ${vector.expected.kappa} and its parts`, () => {
    const result = fleissKappa(vector.counts);
    expectClose(result.kappa, vector.expected.kappa, vector.tolerance);
    expectClose(result.observed, vector.expected.P_bar, vector.tolerance);
    expectClose(result.expected, vector.expected.P_e, vector.tolerance);
    result.categoryShares.forEach((p, j) => expectClose(p, vector.expected.p_j[j]!, vector.tolerance));
    vector.counts.forEach((counts, i) => expectClose(fleissUnitAgreement(counts), vector.expected.P_i[i]!, vector.tolerance));
    expect(result.k).toBe(14);
  });

  const diagnoses = fixture<FleissVector & { ratings: number[][]; expected: { category_totals: number[] } }>('fleiss_1971_diagnoses.json');
  it(`${diagnoses.name}: kappa ${diagnoses.expected.kappa} (R irr)`, () => {
    // The counts are the ratings tallied: check the transcription before the statistic.
    expect(diagnoses.ratings.map((row) => [1, 2, 3, 4, 5].map((c) => row.filter((r) => r === c).length))).toEqual(diagnoses.counts);
    expect([0, 1, 2, 3, 4].map((j) => diagnoses.counts.reduce((sum, row) => sum + row[j]!, 0))).toEqual(diagnoses.expected.category_totals);
    const result = fleissKappa(diagnoses.counts);
    expectClose(result.kappa, diagnoses.expected.kappa, diagnoses.tolerance);
    expect(result.k).toBe(6);
  });

  it('refuses units with a different number of ratings', () => {
    expect(() => fleissKappa([[2, 1], [1, 1]])).toThrow(RangeError);
  });

  it('bootstraps a reproducible interval', () => {
    const estimate = fleissKappaEstimate(vector.counts, { seed: 3 });
    expect(estimate.value).toBeCloseTo(fleissKappa(vector.counts).kappa!, 12);
    expect(fleissKappaEstimate(vector.counts, { seed: 3 })).toEqual(estimate);
    expect(estimate.ci![0]).toBeLessThan(estimate.value!);
    expect(estimate.ci![1]).toBeGreaterThan(estimate.value!);
  });
});

interface CohenVector {
  name: string;
  table?: number[][];
  table_raters2_3?: number[][];
  y1?: number[];
  y2?: number[];
  expected: Record<string, number | number[]>;
  tolerance: number;
}

/** Which weighting an expected-value key of the fixture names; null for values we do not compute (ASE, CI). */
function weightingOf(key: string): KappaWeighting | 'p_o' | 'p_e' | null {
  if (key === 'kappa' || key === 'unweighted') return 'none';
  if (key.startsWith('linear')) return 'linear';
  if (key.startsWith('quadratic')) return 'quadratic';
  if (key === 'p_o' || key === 'p_e') return key;
  return null;
}

describe("Cohen's kappa", () => {
  const vectors = fixture<CohenVector[]>('cohen_kappa_vectors.json');

  for (const vector of vectors) {
    const table = vector.table ?? vector.table_raters2_3 ?? contingencyTable(vector.y1!, vector.y2!);
    for (const [key, expected] of Object.entries(vector.expected)) {
      const weighting = weightingOf(key);
      if (weighting === null || typeof expected !== 'number') continue;
      it(`${vector.name}: ${key} = ${expected}`, () => {
        const result = cohenKappa(table, weighting === 'p_o' || weighting === 'p_e' ? 'none' : weighting);
        const actual = weighting === 'p_o' ? result.observed : weighting === 'p_e' ? result.expected : result.kappa;
        expectClose(actual, expected, vector.tolerance);
      });
    }
  }

  it('checks at least one weighted vector of each kind', () => {
    const keys = vectors.flatMap((v) => Object.keys(v.expected).map(weightingOf));
    expect(keys).toContain('linear');
    expect(keys).toContain('quadratic');
  });

  it('bootstraps labels over units, reproducibly', () => {
    const sklearn = vectors.find((v) => v.y1 && v.expected['quadratic'] !== undefined)!;
    const estimate = cohenKappaEstimate(sklearn.y1!, sklearn.y2!, 'quadratic', { seed: 11 });
    expectClose(estimate.value, sklearn.expected['quadratic'] as number, sklearn.tolerance);
    expect(cohenKappaEstimate(sklearn.y1!, sklearn.y2!, 'quadratic', { seed: 11 })).toEqual(estimate);
    expect(estimate.ci![0]).toBeLessThan(estimate.value!);
    expect(estimate.ci![1]).toBeLessThanOrEqual(1);
  });

  describe('pairwise over many raters', () => {
    // Three raters over the Artstein & Poesio 3-class units: r1 and r2 are the published pair, r3 copies r1 on every third unit.
    const vector = vectors.find((v) => v.name === 'cohen_artstein_poesio_table4_3class')!;
    const labels = vector.y1!.flatMap((value, u) => [
      { unit: `u${u}`, rater: 'r1', value },
      { unit: `u${u}`, rater: 'r2', value: vector.y2![u]! },
      ...(u % 3 === 0 ? [{ unit: `u${u}`, rater: 'r3', value }] : []),
    ]);

    it('computes every pair with enough overlap and their overlap-weighted mean', () => {
      const result = pairwiseCohenKappa(labels, { minOverlap: 20, rounds: 200 });
      expect(result.pairs.map((p) => [p.raterA, p.raterB, p.overlap])).toEqual([
        ['r1', 'r2', 100],
        ['r1', 'r3', 34],
        ['r2', 'r3', 34],
      ]);
      const [r1r2, r1r3, r2r3] = result.pairs;
      expectClose(r1r2!.kappa, vector.expected['kappa'] as number, vector.tolerance);
      expect(r1r3!.kappa).toBe(1);
      const everyThird = (labels: number[]) => labels.filter((_, u) => u % 3 === 0);
      const r2r3Table = contingencyTable(everyThird(vector.y2!), everyThird(vector.y1!), [0, 1, 2]);
      expect(r2r3!.kappa).toBeCloseTo(cohenKappa(r2r3Table).kappa!, 12);
      expect(result.mean.value).toBeCloseTo((100 * r1r2!.kappa! + 34 * r1r3!.kappa! + 34 * r2r3!.kappa!) / 168, 12);
      expect(result.mean.units).toBe(100);
    });

    it('leaves out pairs below the minimum overlap', () => {
      const result = pairwiseCohenKappa(labels, { minOverlap: 35, rounds: 50 });
      expect(result.pairs.map((p) => `${p.raterA}-${p.raterB}`)).toEqual(['r1-r2']);
      expect(result.mean.value).toBeCloseTo(result.pairs[0]!.kappa!, 12);
    });
  });
});
