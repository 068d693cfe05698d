// Agreement among the counted judgments behind an export, for its dataset card: the quality dashboard's
// statistics (computeAgreementSummary) plus the plain pairwise percent agreement readers expect on a card.
import type { AgreementJudgment } from '../../domain/stats/agreement-summary';
import { computeAgreementSummary } from '../../domain/stats/agreement-summary';

/** Mean over comparisons with two or more answers of the share of rater pairs that gave the same answer. */
function pairwisePercentAgreement(judgments: readonly AgreementJudgment[]): number | null {
  const units = new Map<string, Map<string, number>>();
  for (const { comparisonId, choice } of judgments) {
    const sizes = units.get(comparisonId) ?? new Map<string, number>();
    sizes.set(choice, (sizes.get(choice) ?? 0) + 1);
    units.set(comparisonId, sizes);
  }
  let sum = 0;
  let count = 0;
  for (const sizes of units.values()) {
    const n = [...sizes.values()].reduce((total, size) => total + size, 0);
    if (n < 2) continue;
    let agreeing = 0;
    for (const size of sizes.values()) agreeing += size * (size - 1);
    sum += agreeing / (n * (n - 1));
    count += 1;
  }
  return count === 0 ? null : sum / count;
}

const round = (value: number | null) => (value === null ? null : Math.round(value * 1000) / 1000);

// The card shows point values only; a short bootstrap keeps a large campaign's card quick.
const CARD_BOOTSTRAP = { rounds: 100, seed: 1 };

export function exportAgreement(judgments: readonly AgreementJudgment[], k: number): Record<string, number | null> {
  const summary = computeAgreementSummary(judgments, { ...CARD_BOOTSTRAP, k });
  return {
    'pairwise percent agreement': round(pairwisePercentAgreement(judgments)),
    "Krippendorff's alpha (nominal choice)": round(summary.alphaNominal.value),
    "Krippendorff's alpha (ordinal signed strength)": round(summary.alphaOrdinal.value),
    [`Fleiss' kappa (comparisons with ${k} judgments)`]: round(summary.fleissKappa.value),
    "Cohen's kappa (mean over rater pairs)": round(summary.cohenPairwise.value),
    'comparisons with 2+ judgments': summary.alphaNominal.units,
  };
}
