// The dashboard's agreement figures over the counted, non-gold judgments of the table.
import type { z } from 'zod';
import type { TRaterStats, ZAgreementSchema } from '../../contract/stats';
import { CHOICE_CODES, NO_CHOICE, taskOfPairId } from '../../db/repositories/stats';
import type { AgreementColumns } from '../../domain/stats/agreement-summary';
import type { Estimate } from '../../domain/stats/bootstrap';
import type { RaterPairKappa } from '../../domain/stats/cohen';
import { pick, rowsWhere } from '../../domain/stats/columns';
import type { JudgmentTable } from './judgment-table';
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

/** Why nominal alpha is undefined on these judgments (see ZAgreementSchema.alphaUndefined), null when it is defined. */
export function alphaUndefinedReason(comparison: Int32Array, choice: Uint8Array): z.infer<typeof ZAgreementSchema>['alphaUndefined'] {
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
  if (!ids.some((id) => id < 0)) return undefined;
  // The stats read usually lists the tasks in ascending order, a task's pairs one after another: then the order
  // below is the identity and nothing needs sorting.
  const [group, renumbered] = [new Int32Array(ids.length), new Int32Array(ids.length)];
  let [g, ascending] = [-1, true];
  for (let c = 0; c < ids.length && ascending; c++) {
    const task = taskOfPairId(ids[c]!);
    if (c === 0 || task !== taskOfPairId(ids[c - 1]!)) {
      ascending = c === 0 || task > taskOfPairId(ids[c - 1]!);
      g++;
    }
    group[c] = g;
    renumbered[c] = c;
  }
  if (ascending) return { group, renumbered };
  const order = Int32Array.from(ids.keys()).sort((x, y) => taskOfPairId(ids[x]!) - taskOfPairId(ids[y]!) || x - y);
  g = -1;
  order.forEach((c, at) => {
    if (at === 0 || taskOfPairId(ids[c]!) !== taskOfPairId(ids[order[at - 1]!]!)) g++;
    group[c] = g;
    renumbered[c] = at;
  });
  return { group, renumbered };
}

/** The agreement statistics' input: the counted, non-gold judgments with an answer, a ranking task's pairs one group. */
export function agreementColumnsOf(table: JudgmentTable): AgreementColumns {
  const rows = rowsWhere(table.choice.length, (i) => table.counted[i] === 1 && table.comparisons.gold[table.comparison[i]!] === NO_CHOICE && table.choice[i] !== NO_CHOICE);
  const strengths = new Float64Array(rows.length);
  // signedStrength(choice, strength) per row, without looking the choice's name up (1.5 M rows at 250,000 rankings).
  const [A, TIE, BOTH_BAD] = (['A', 'TIE', 'BOTH_BAD'] as const).map((choice) => CHOICE_CODES.indexOf(choice));
  for (let j = 0; j < rows.length; j++) {
    const code = table.choice[rows[j]!]!;
    const strength = table.strength[rows[j]!]!;
    strengths[j] = code === TIE ? 0 : code === BOTH_BAD || strength === 0 ? NaN : code === A ? strength : -strength;
  }
  // CHOICE_CODES is the domain's CHOICES order, so choice codes pass as they are.
  const columns: AgreementColumns = { comparison: pick(table.comparison, rows), rater: pick(table.rater, rows), choice: pick(table.choice, rows), signedStrength: strengths };
  // A ranking's derived pairs are not independent: the bootstraps redraw ranking tasks, each one resampling group.
  const tasks = taskGroups(table.comparisons.id);
  if (tasks) {
    columns.cluster = pick(tasks.group, columns.comparison);
    columns.comparison = pick(tasks.renumbered, columns.comparison);
  }
  return columns;
}

/**
 * Computes the panel on the stats thread (see stats-thread.ts): the caller goes on with the other panels
 * meanwhile and awaits this one last.
 */
export async function agreementPanel(table: JudgmentTable, options: AgreementPanelOptions): Promise<AgreementPanel> {
  const columns = agreementColumnsOf(table);
  // Before the columns are transferred to the stats thread (which detaches them here).
  const undefinedReason = alphaUndefinedReason(columns.comparison, columns.choice);
  const transfer = [columns.comparison.buffer, columns.rater.buffer, columns.choice.buffer, columns.signedStrength.buffer, ...(columns.cluster ? [columns.cluster.buffer] : [])] as ArrayBuffer[];
  const summary = await runOnStatsThread('agreement', { columns, options: { k: options.k, rounds: options.rounds, seed: options.seed } }, transfer);
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
