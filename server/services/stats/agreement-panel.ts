// The dashboard's agreement figures over the counted, non-gold judgments of the table.
import type { z } from 'zod';
import type { TRaterStats, ZAgreementSchema } from '../../contract/stats';
import { CHOICE_CODES, NO_CHOICE, taskOfPairId } from '../../db/repositories/stats';
import { computeAgreementSummaryOfColumns, type AgreementColumns, type AgreementSummary, type AgreementSummaryOptions } from '../../domain/stats/agreement-summary';
import type { Estimate } from '../../domain/stats/bootstrap';
import type { RaterPairKappa } from '../../domain/stats/cohen';
import type { ComparisonColumns, JudgmentTable } from './judgment-table';
import type { RaterQualityRow } from './rater-table';
import { runOnStatsThread } from '../../process/stats-thread';

export interface AgreementPanelOptions {
  /** The campaign's judgments per comparison. */
  k: number;
  rounds: number;
  seed: number;
  /** Whether the scale has strength levels (then alpha on the signed strength is shown too). */
  withStrength: boolean;
}

export interface AgreementPanel {
  panel: z.infer<typeof ZAgreementSchema>;
  /** Cohen's kappa of every rater pair sharing enough comparisons, raters numbered as in the table. */
  cohenPairs: RaterPairKappa<number>[];
  /** The same, quadratic-weighted on the signed strength (empty without strengths). */
  weightedPairs: RaterPairKappa<number>[];
}

type AlphaUndefined = z.infer<typeof ZAgreementSchema>['alphaUndefined'];

/** Why nominal alpha is undefined on these judgments (see ZAgreementSchema.alphaUndefined), null when it is defined. */
export function alphaUndefinedReason(comparison: Int32Array, choice: Uint8Array): AlphaUndefined {
  // Comparisons are dense indices: counts in a flat array (a Map cost a second at 1.5 M derived pairs).
  let largest = -1;
  for (let j = 0; j < comparison.length; j++) if (comparison[j]! > largest) largest = comparison[j]!;
  const perComparison = new Int32Array(largest + 1);
  for (let j = 0; j < comparison.length; j++) perComparison[comparison[j]!]!++;
  const answers = new Uint8Array(256);
  let [pairable, distinct, onlyAnswer] = [0, 0, 0];
  for (let j = 0; j < comparison.length; j++) {
    if (perComparison[comparison[j]!]! < 2) continue;
    pairable++;
    if (answers[choice[j]!]++ === 0) [distinct, onlyAnswer] = [distinct + 1, choice[j]!];
  }
  if (pairable === 0) return { reason: 'no-pairable-comparisons' };
  if (distinct === 1) return { reason: 'one-answer-throughout', onlyAnswer: CHOICE_CODES[onlyAnswer]!, judgments: pairable };
  return null;
}

/**
 * When some comparisons are derived pairs of ranking tasks: each comparison's task as a group number, and the
 * comparisons renumbered so that a task's pairs are consecutive (as AgreementColumns.cluster asks); a pair's own
 * comparison is a group of its own. Undefined without derived pairs.
 */
function taskGroups(ids: Int32Array): { group: Int32Array; renumbered: Int32Array } | undefined {
  let derived = false;
  for (let c = 0; c < ids.length && !derived; c++) derived = ids[c]! < 0;
  if (!derived) return undefined;
  // When the stats read lists the tasks in ascending order, a task's pairs one after another, the order below is the
  // identity and nothing needs sorting.
  const [group, renumbered] = [new Int32Array(ids.length), new Int32Array(ids.length)];
  let [g, ascending, previous] = [-1, true, 0];
  for (let c = 0; c < ids.length && ascending; c++) {
    const task = taskOfPairId(ids[c]!);
    if (c === 0 || task !== previous) {
      ascending = c === 0 || task > previous;
      g++;
    }
    previous = task;
    group[c] = g;
    renumbered[c] = c;
  }
  if (ascending) return { group, renumbered };
  // Else the runs of one task (a task's pairs, or a comparison alone) sorted by task, then by position: the order of
  // sorting every comparison by (task, index), at a sort of 83,000 runs rather than of 500,000 pairs.
  const runStart: number[] = [];
  for (let c = 0; c < ids.length; c++) if (c === 0 || taskOfPairId(ids[c]!) !== taskOfPairId(ids[c - 1]!)) runStart.push(c);
  runStart.push(ids.length);
  const taskOfRun = Int32Array.from(runStart.slice(0, -1), (c) => taskOfPairId(ids[c]!));
  const order = orderByTask(taskOfRun);
  g = -1;
  let at = 0;
  for (let k = 0; k < order.length; k++) {
    const r = order[k]!;
    if (k === 0 || taskOfRun[r] !== previous) g++;
    previous = taskOfRun[r]!;
    for (let c = runStart[r]!; c < runStart[r + 1]!; c++) {
      group[c] = g;
      renumbered[c] = at++;
    }
  }
  return { group, renumbered };
}

/**
 * Indices of `tasks` ordered by task, then by index: a counting sort when the tasks span few values (a campaign's
 * comparison ids), else a sort. (At 83,000 ranking tasks the sort with a comparator cost 40 ms of the time before the
 * stats thread gets its work.)
 */
function orderByTask(tasks: Int32Array): Int32Array {
  let [low, high] = [Infinity, -Infinity];
  for (let r = 0; r < tasks.length; r++) {
    low = Math.min(low, tasks[r]!);
    high = Math.max(high, tasks[r]!);
  }
  if (tasks.length === 0 || high - low > 8 * tasks.length + 1024) return Int32Array.from(tasks.keys()).sort((x, y) => tasks[x]! - tasks[y]! || x - y);
  const next = new Int32Array(high - low + 2);
  for (let r = 0; r < tasks.length; r++) next[tasks[r]! - low + 1]!++;
  for (let v = 0; v <= high - low; v++) next[v + 1]! += next[v]!;
  const order = new Int32Array(tasks.length);
  for (let r = 0; r < tasks.length; r++) order[next[tasks[r]! - low]!++] = r;
  return order;
}

/** The columns of the table the agreement panel reads (what the stats thread is sent). */
export type AgreementTable = Pick<JudgmentTable, 'counted' | 'choice' | 'comparison' | 'rater' | 'strength'> & { comparisons: Pick<ComparisonColumns, 'id' | 'gold'> };

/** The agreement statistics' input: the counted, non-gold judgments with an answer, a ranking task's pairs one group. */
export function agreementColumnsOf(table: AgreementTable): AgreementColumns {
  // Plain loops over each typed column (1.5 M rows at 250,000 rankings): a predicate closure and a generic `pick`
  // per column cost a quarter of a second there.
  const { counted, choice, comparison, rater, strength } = table;
  const gold = table.comparisons.gold;
  // Rows kept: counted, with an answer, on a comparison that is not gold.
  const kept = new Uint8Array(choice.length);
  let n = 0;
  for (let i = 0; i < choice.length; i++) {
    if (counted[i] !== 1 || choice[i] === NO_CHOICE || gold[comparison[i]!] !== NO_CHOICE) continue;
    kept[i] = 1;
    n++;
  }
  const columns: AgreementColumns = { comparison: new Int32Array(n), rater: new Int32Array(n), choice: new Uint8Array(n), signedStrength: new Float64Array(n) };
  // signedStrength(choice, strength) per row, without looking the choice's name up. CHOICE_CODES is the domain's
  // CHOICES order, so choice codes pass as they are.
  const [A, TIE, BOTH_BAD] = (['A', 'TIE', 'BOTH_BAD'] as const).map((code) => CHOICE_CODES.indexOf(code));
  // A ranking's derived pairs are not independent: the bootstraps redraw ranking tasks, each one resampling group.
  const tasks = taskGroups(table.comparisons.id);
  if (tasks) columns.cluster = new Int32Array(n);
  for (let i = 0, j = 0; i < choice.length; i++) {
    if (kept[i] === 0) continue;
    const code = choice[i]!;
    const level = strength[i]!;
    const c = comparison[i]!;
    columns.rater[j] = rater[i]!;
    columns.choice[j] = code;
    columns.signedStrength[j] = code === TIE ? 0 : code === BOTH_BAD || level === 0 ? NaN : code === A ? level : -level;
    if (tasks) {
      columns.cluster![j] = tasks.group[c]!;
      columns.comparison[j] = tasks.renumbered[c]!;
    } else columns.comparison[j] = c;
    j++;
  }
  return columns;
}

/** The agreement summary of the table's columns, and why nominal alpha is undefined: the stats thread's task. */
export function agreementOfTable(table: AgreementTable, options: AgreementSummaryOptions): { summary: AgreementSummary<number>; undefinedReason: AlphaUndefined } {
  const columns = agreementColumnsOf(table);
  return { summary: computeAgreementSummaryOfColumns(columns, options), undefinedReason: alphaUndefinedReason(columns.comparison, columns.choice) };
}

/**
 * Computes the panel on the stats thread (see stats-thread.ts), which is sent copies of the columns it reads: the
 * caller goes on with the other panels meanwhile and awaits this one last. (The thread used to get the Cohen kappas
 * alone, after this thread had built the input columns, and this thread computed the other figures: at 250,000
 * rankings this thread held the end of the request while the stats thread waited for its input, then idled.)
 */
export async function agreementPanel(table: JudgmentTable, options: AgreementPanelOptions): Promise<AgreementPanel> {
  const summaryOptions = { k: options.k, rounds: options.rounds, seed: options.seed };
  // Copies go to the stats thread (transferred, so not copied twice); the table stays usable here.
  const copies: AgreementTable = {
    counted: table.counted.slice(),
    choice: table.choice.slice(),
    comparison: table.comparison.slice(),
    rater: table.rater.slice(),
    strength: table.strength.slice(),
    comparisons: { id: table.comparisons.id.slice(), gold: table.comparisons.gold.slice() },
  };
  const transfer = [copies.counted, copies.choice, copies.comparison, copies.rater, copies.strength, copies.comparisons.id, copies.comparisons.gold].map((column) => column.buffer as ArrayBuffer);
  const { summary, undefinedReason } = await runOnStatsThread('agreementOfTable', { table: copies, options: summaryOptions }, transfer);
  const estimate = (e: Estimate) => ({ value: e.value, ci: e.ci, units: e.units, rounds: e.rounds });
  const weighted = summary.cohenWeightedPairwise;
  return {
    panel: {
      judgments: summary.judgments,
      comparisons: summary.comparisons,
      krippendorffAlpha: estimate(summary.alphaNominal),
      alphaUndefined: summary.alphaNominal.value === null ? undefinedReason : null,
      ...(options.withStrength ? { alphaOrdinal: estimate(summary.alphaOrdinal), alphaInterval: estimate(summary.alphaInterval) } : {}),
      fleissKappa: { ...estimate(summary.fleissKappa), k: summary.fleissKappa.k },
      cohenKappaMean: { ...estimate(summary.cohenPairwise), pairs: summary.cohenPairwise.pairs.length },
      ...(options.withStrength && weighted ? { cohenWeightedKappaMean: { ...estimate(weighted), pairs: weighted.pairs.length } } : {}),
    },
    cohenPairs: summary.cohenPairwise.pairs,
    weightedPairs: weighted?.pairs ?? [],
  };
}

/** Each rater's overlap-weighted mean kappa with the raters they share enough comparisons with. */
export function withPairKappas(raters: RaterQualityRow[], pairs: readonly RaterPairKappa<number>[]): TRaterStats[] {
  const [weighted, overlap, partners] = [new Float64Array(raters.length), new Float64Array(raters.length), new Int32Array(raters.length)];
  for (const pair of pairs) {
    if (pair.kappa === null) continue;
    for (const r of [pair.raterA, pair.raterB]) {
      weighted[r]! += pair.overlap * pair.kappa;
      overlap[r]! += pair.overlap;
      partners[r]!++;
    }
  }
  return raters.map((rater, r) => ({ ...rater, pairKappa: overlap[r]! > 0 ? weighted[r]! / overlap[r]! : null, pairKappaRaters: partners[r]! }));
}
