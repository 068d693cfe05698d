// Krippendorff's alpha from the coincidence matrix (Krippendorff 2011), with missing data and a unit bootstrap.
import { bootstrapGrouped, groupIdentical, packKey, type BootstrapOptions, type Estimate } from './bootstrap';
import { sortedDistinct, type CodedValue } from './coded-values';

export type AlphaMetric = 'nominal' | 'ordinal' | 'interval' | 'ratio';

/**
 * Pairable units grouped by their value pattern. A pattern is the sparse coincidence contribution of
 * one unit: cells `c * values.length + k` with `n_uc * (n_uk - [c = k]) / (m_u - 1)`.
 */
export interface ReliabilityData {
  /** Distinct values, ascending (numbers numerically, strings by code point). */
  values: CodedValue[];
  patterns: { cells: number[]; amounts: number[] }[];
  multiplicities: number[];
  /** Units left out because fewer than two values were given for them. */
  unpairableUnits: number;
}

/**
 * Builds reliability data from the values given for each unit (one list per unit, any number of
 * coders, `null` = missing). Units with fewer than two values cannot be paired and are left out.
 * Cost: O(units * values per unit^2).
 */
export function reliabilityFromUnits(units: Iterable<readonly (CodedValue | null)[]>): ReliabilityData {
  const pairable: (readonly (CodedValue | null)[])[] = [];
  const distinct = new Set<CodedValue>();
  let unpairableUnits = 0;
  for (const unit of units) {
    let given = 0;
    for (const v of unit) if (v !== null) given++;
    if (given < 2) {
      unpairableUnits++;
      continue;
    }
    for (const v of unit) if (v !== null) distinct.add(v);
    pairable.push(unit);
  }
  const values = sortedDistinct(distinct);
  const indexOf = new Map(values.map((v, i) => [v, i]));
  const indicesOf = (unit: readonly (CodedValue | null)[]) => {
    const indices: number[] = [];
    for (const v of unit) if (v !== null) indices.push(indexOf.get(v)!);
    return indices.sort((x, y) => x - y);
  };
  const grouped = groupIdentical(pairable, (unit) => packKey(indicesOf(unit)), indicesOf);
  const patterns = grouped.patterns.map((indices, p) => ({ indices, units: grouped.multiplicities[p]! }));
  return reliabilityFromPatterns(values, patterns, unpairableUnits);
}

/**
 * Builds reliability data from value patterns already grouped: each the indices into `values`
 * (ascending, distinct) of the values one unit was given, and how many units share it. Patterns of
 * fewer than two values count as unpairable units; values no pairable pattern uses are dropped.
 */
export function reliabilityFromPatterns(values: readonly CodedValue[], patterns: readonly { indices: readonly number[]; units: number }[], unpairableUnits = 0): ReliabilityData {
  return reliabilityFromPatternGroups(values, patterns.map((p) => ({ members: [p.indices], units: p.units })), unpairableUnits);
}

/**
 * `reliabilityFromPatterns` where the resampling unit is a group of units (e.g. the derived pairs of one ranking
 * task): each pattern lists its member units' value indices, its coincidences are their sum, and a bootstrap redraws
 * whole groups. `units` counts groups; members with fewer than two values count as unpairable units (once per group).
 */
export function reliabilityFromPatternGroups(values: readonly CodedValue[], groups: readonly { members: readonly (readonly number[])[]; units: number }[], unpairableUnits = 0): ReliabilityData {
  const used = new Uint8Array(values.length);
  let unpairable = unpairableUnits;
  const pairable = groups.flatMap((g) => {
    const members = g.members.filter((indices) => indices.length >= 2);
    unpairable += (g.members.length - members.length) * g.units;
    return members.length > 0 ? [{ members, units: g.units }] : [];
  });
  for (const g of pairable) for (const indices of g.members) for (const i of indices) used[i] = 1;
  const kept = values.flatMap((_, i) => (used[i] ? [i] : []));
  const renumbered = new Int32Array(values.length);
  kept.forEach((i, at) => (renumbered[i] = at));
  const groupCoincidences = (members: readonly (readonly number[])[]) => {
    if (members.length === 1) return unitCoincidences(members[0]!.map((i) => renumbered[i]!).sort((x, y) => x - y), kept.length);
    const sum = new Map<number, number>();
    for (const indices of members) {
      const { cells, amounts } = unitCoincidences(indices.map((i) => renumbered[i]!).sort((x, y) => x - y), kept.length);
      cells.forEach((cell, i) => sum.set(cell, (sum.get(cell) ?? 0) + amounts[i]!));
    }
    return { cells: [...sum.keys()], amounts: [...sum.values()] };
  };
  return {
    values: kept.map((i) => values[i]!),
    patterns: pairable.map((g) => groupCoincidences(g.members)),
    multiplicities: pairable.map((g) => g.units),
    unpairableUnits: unpairable,
  };
}

/**
 * Builds reliability data whose resampling unit is a group of units (e.g. the K responses of one ranking task,
 * whose values are not independent): a group's pattern is the sum of its pairable units' coincidences, so alpha
 * is the same as from the units one by one, and a bootstrap redraws whole groups. Groups without a pairable
 * unit are left out (their units counted as unpairable).
 */
export function reliabilityFromUnitGroups(groups: Iterable<readonly (readonly (CodedValue | null)[])[]>): ReliabilityData {
  const list = [...groups];
  const distinct = new Set<CodedValue>();
  for (const group of list) for (const unit of group) for (const v of unit) if (v !== null) distinct.add(v);
  const values = sortedDistinct(distinct);
  const indexOf = new Map(values.map((v, i) => [v, i]));
  const [groupStart, unitStart, indices] = [[0], [0], [] as number[]];
  for (const group of list) {
    for (const unit of group) {
      for (const v of unit) if (v !== null) indices.push(indexOf.get(v)!);
      unitStart.push(indices.length);
    }
    groupStart.push(unitStart.length - 1);
  }
  return reliabilityFromIndexGroups(values, { groupStart: Int32Array.from(groupStart), unitStart: Int32Array.from(unitStart), indices: Int32Array.from(indices) });
}

/**
 * Groups of units as flat columns: group g holds units groupStart[g]..groupStart[g + 1]), unit u the value indices
 * indices[unitStart[u]..unitStart[u + 1]) (into a list of distinct values, ascending; any order within a unit).
 */
export interface IndexGroups {
  groupStart: Int32Array;
  unitStart: Int32Array;
  indices: Int32Array;
}

/**
 * `reliabilityFromUnitGroups` over flat columns (no arrays per unit: 83,000 ranking tasks of 4 units made a third of
 * the ranking agreement's time). Values no pairable unit uses are dropped. Patterns in the order of their first group.
 */
export function reliabilityFromIndexGroups(values: readonly CodedValue[], { groupStart, unitStart, indices }: IndexGroups): ReliabilityData {
  const groupCount = groupStart.length - 1;
  // Values of pairable units (two values or more), renumbered in their order; the longest unit and the group with most.
  const used = new Uint8Array(values.length);
  let [longestUnit, largestGroup, unpairableUnits] = [0, 0, 0];
  for (let g = 0; g < groupCount; g++) {
    let pairable = 0;
    for (let u = groupStart[g]!; u < groupStart[g + 1]!; u++) {
      const n = unitStart[u + 1]! - unitStart[u]!;
      if (n < 2) {
        unpairableUnits++;
        continue;
      }
      pairable++;
      longestUnit = Math.max(longestUnit, n);
      for (let at = unitStart[u]!; at < unitStart[u + 1]!; at++) used[indices[at]!] = 1;
    }
    largestGroup = Math.max(largestGroup, pairable);
  }
  const kept: number[] = [];
  const renumbered = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) if (used[i]) renumbered[i] = kept.push(i) - 1;
  const size = kept.length;
  // Each unit's renumbered indices, ascending (a few per unit: sorted by insertion).
  const sorted = new Int32Array(indices.length);
  for (let u = 0; u < unitStart.length - 1; u++) {
    for (let at = unitStart[u]!; at < unitStart[u + 1]!; at++) {
      const index = renumbered[indices[at]!]!;
      let to = at;
      for (; to > unitStart[u]! && sorted[to - 1]! > index; to--) sorted[to] = sorted[to - 1]!;
      sorted[to] = index;
    }
  }
  const unitIndices = (u: number) => Array.from(sorted.subarray(unitStart[u]!, unitStart[u + 1]!));
  // A group's key: the multiset of its pairable units' sorted indices. As one number while it fits in 53 bits (each
  // unit a number in radix size + 1, its digits the indices + 1; the group's unit numbers sorted, in radix unitRadix);
  // else as text, each unit packed and ended by a separator, in sorted order.
  const unitRadix = (size + 1) ** longestUnit + 1;
  const numeric = largestGroup * Math.log2(unitRadix + 1) < 53;
  const pairableUnits: number[] = [];
  const unitKeys: number[] = [];
  const keyOf = (): number | string => {
    if (!numeric) return pairableUnits.map((u) => packKey(unitIndices(u)) + '\uffff\uffff').sort().join('');
    unitKeys.length = 0;
    for (const u of pairableUnits) {
      let key = 0;
      for (let at = unitStart[u]!; at < unitStart[u + 1]!; at++) key = key * (size + 1) + sorted[at]! + 1;
      let to = unitKeys.length;
      for (unitKeys.push(key); to > 0 && unitKeys[to - 1]! > key; to--) unitKeys[to] = unitKeys[to - 1]!;
      unitKeys[to] = key;
    }
    let key = 0;
    for (const unitKey of unitKeys) key = key * unitRadix + unitKey + 1;
    return key;
  };
  const patternOf = new Map<number | string, number>();
  const patterns: ReliabilityData['patterns'] = [];
  const multiplicities: number[] = [];
  for (let g = 0; g < groupCount; g++) {
    pairableUnits.length = 0;
    for (let u = groupStart[g]!; u < groupStart[g + 1]!; u++) if (unitStart[u + 1]! - unitStart[u]! >= 2) pairableUnits.push(u);
    if (pairableUnits.length === 0) continue;
    const key = keyOf();
    const known = patternOf.get(key);
    if (known !== undefined) {
      multiplicities[known]!++;
      continue;
    }
    patternOf.set(key, patterns.length);
    multiplicities.push(1);
    const sum = new Map<number, number>();
    for (const u of pairableUnits) {
      const { cells, amounts } = unitCoincidences(unitIndices(u), size);
      cells.forEach((cell, i) => sum.set(cell, (sum.get(cell) ?? 0) + amounts[i]!));
    }
    patterns.push({ cells: [...sum.keys()], amounts: [...sum.values()] });
  }
  return { values: kept.map((i) => values[i]!), patterns, multiplicities, unpairableUnits };
}

/** Builds reliability data from a coders x units matrix (`null` = missing), the layout of the literature. */
export function reliabilityFromMatrix(matrix: readonly (readonly (CodedValue | null)[])[]): ReliabilityData {
  const unitCount = Math.max(0, ...matrix.map((row) => row.length));
  const units = Array.from({ length: unitCount }, (_, u) => matrix.map((row) => row[u] ?? null));
  return reliabilityFromUnits(units);
}

/** Krippendorff's alpha; null when undefined (no pairable units, or a single value throughout). */
export function krippendorffAlpha(data: ReliabilityData, metric: AlphaMetric): number | null {
  return alphaForWeights(data, metric, data.multiplicities);
}

/** Krippendorff's alpha with a percentile-bootstrap interval over units. */
export function krippendorffAlphaEstimate(data: ReliabilityData, metric: AlphaMetric, options?: BootstrapOptions): Estimate {
  return bootstrapGrouped(data.multiplicities, (weights) => alphaForWeights(data, metric, weights), options);
}

function unitCoincidences(sortedIndices: number[], size: number): { cells: number[]; amounts: number[] } {
  const counts = new Map<number, number>();
  for (const i of sortedIndices) counts.set(i, (counts.get(i) ?? 0) + 1);
  const pairWeight = 1 / (sortedIndices.length - 1);
  const cells: number[] = [];
  const amounts: number[] = [];
  for (const [c, nc] of counts) {
    for (const [k, nk] of counts) {
      const pairs = nc * (c === k ? nk - 1 : nk);
      if (pairs > 0) {
        cells.push(c * size + k);
        amounts.push(pairs * pairWeight);
      }
    }
  }
  return { cells, amounts };
}

function alphaForWeights(data: ReliabilityData, metric: AlphaMetric, weights: ArrayLike<number>): number | null {
  const size = data.values.length;
  const coincidences = new Float64Array(size * size);
  data.patterns.forEach((pattern, p) => {
    const weight = weights[p]!;
    if (weight === 0) return;
    pattern.cells.forEach((cell, i) => (coincidences[cell]! += weight * pattern.amounts[i]!));
  });
  const marginals = new Float64Array(size);
  for (let cell = 0; cell < coincidences.length; cell++) marginals[Math.floor(cell / size)]! += coincidences[cell]!;
  const total = marginals.reduce((sum, n) => sum + n, 0);
  const distance = squaredDistance(metric, data.values, marginals);
  let observed = 0;
  let expected = 0;
  for (let c = 0; c < size; c++) {
    for (let k = 0; k < size; k++) {
      const d = distance(c, k);
      observed += coincidences[c * size + k]! * d;
      expected += marginals[c]! * marginals[k]! * d;
    }
  }
  if (total <= 1 || expected === 0) return null;
  return 1 - ((total - 1) * observed) / expected;
}

/** The metric's difference function delta^2(c, k) over value indices. */
function squaredDistance(metric: AlphaMetric, values: CodedValue[], marginals: Float64Array): (c: number, k: number) => number {
  if (metric === 'nominal') return (c, k) => (c === k ? 0 : 1);
  const numbers = values.map((v) => {
    if (typeof v !== 'number') throw new TypeError(`Krippendorff's ${metric} alpha needs numeric values, got ${JSON.stringify(v)}`);
    return v;
  });
  if (metric === 'interval') return (c, k) => (numbers[c]! - numbers[k]!) ** 2;
  if (metric === 'ratio') {
    return (c, k) => {
      const sum = numbers[c]! + numbers[k]!;
      return sum === 0 ? 0 : ((numbers[c]! - numbers[k]!) / sum) ** 2;
    };
  }
  // Ordinal: ranks apart, measured by how many pairable values lie between them.
  const cumulative = new Float64Array(values.length + 1);
  marginals.forEach((n, i) => (cumulative[i + 1] = cumulative[i]! + n));
  return (c, k) => {
    const [low, high] = c < k ? [c, k] : [k, c];
    return (cumulative[high + 1]! - cumulative[low]! - (marginals[low]! + marginals[high]!) / 2) ** 2;
  };
}
