// The dashboard's agreement figures over the counted, non-gold judgments of the table.
import type { z } from 'zod';
import type { ZAgreementSchema } from '../../contract/stats';
import { NO_CHOICE } from '../../db/repositories/stats';
import { computeAgreementSummary, signedStrength, type AgreementJudgment } from '../../domain/stats/agreement-summary';
import type { Estimate } from '../../domain/stats/bootstrap';
import { choiceOf, type JudgmentTable } from './judgment-table';

export interface AgreementPanelOptions {
  /** The campaign's judgments per comparison. */
  k: number;
  rounds: number;
  seed: number;
  /** Whether the scale has strength levels (then alpha on the signed strength is shown too). */
  withStrength: boolean;
}

export function agreementPanel(table: JudgmentTable, options: AgreementPanelOptions): z.infer<typeof ZAgreementSchema> {
  // Short rater keys: the pairwise kappa builds a key per rater pair and unit.
  const raterKeys = table.raters.map((_, i) => String(i));
  const judgments: AgreementJudgment[] = [];
  for (let i = 0; i < table.choice.length; i++) {
    const choice = choiceOf(table.choice[i]!);
    if (!table.counted[i] || table.gold[i] !== NO_CHOICE || choice === null) continue;
    judgments.push({
      comparisonId: String(table.comparisonId[i]),
      raterId: raterKeys[table.raterIndex[i]!]!,
      choice,
      signedStrength: signedStrength(choice, table.strength[i] || null),
    });
  }
  // Fleiss' kappa needs k >= 2; with k = 1 no comparison is judged twice and the domain reports none.
  const k = options.k >= 2 ? options.k : undefined;
  const summary = computeAgreementSummary(judgments, { k, rounds: options.rounds, seed: options.seed });
  const estimate = (e: Estimate) => ({ value: e.value, ci: e.ci, units: e.units });
  return {
    judgments: summary.judgments,
    comparisons: summary.comparisons,
    krippendorffAlpha: estimate(summary.alphaNominal),
    ...(options.withStrength ? { alphaOrdinal: estimate(summary.alphaOrdinal), alphaInterval: estimate(summary.alphaInterval) } : {}),
    fleissKappa: { ...estimate(summary.fleissKappa), k: summary.fleissKappa.k },
    cohenKappaMean: { ...estimate(summary.cohenPairwise), pairs: summary.cohenPairwise.pairs.length },
  };
}
