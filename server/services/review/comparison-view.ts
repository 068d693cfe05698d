// A comparison's summary row as the review API shows it.
import type { TComparisonSummary } from '../../contract/review';
import type { ComparisonSummaryRow } from '../../db/repositories/explorer';
import { AppError } from '../../errors';

type Choice = TComparisonSummary['majority'] & string;

/** The answer with strictly the most votes; null when none leads (no votes, or a tie at the top). */
export function majorityOf(votes: Record<Choice, number>): Choice | null {
  const entries = Object.entries(votes) as [Choice, number][];
  const best = Math.max(...entries.map(([, n]) => n));
  const leaders = entries.filter(([, n]) => n === best);
  return best > 0 && leaders.length === 1 ? leaders[0]![0] : null;
}

export function toComparisonSummary(row: ComparisonSummaryRow): TComparisonSummary {
  const votes = { A: row.votesA, B: row.votesB, TIE: row.votesTie, BOTH_BAD: row.votesBothBad };
  return {
    id: row.id,
    promptId: row.promptId,
    prompt: row.prompt ?? '',
    a: { responseId: row.responseAId, model: row.modelA, broken: row.brokenA },
    b: { responseId: row.responseBId, model: row.modelB, broken: row.brokenB },
    isGold: row.isGold,
    removed: row.removed,
    removedAt: isoOrNull(row.removedAt),
    adjudicated: row.adjudicatedChoice,
    goldChoice: row.goldChoice,
    target: row.target,
    submitted: row.submitted,
    leased: row.leased,
    votes,
    majority: majorityOf(votes),
    dispute: row.dispute / 1000,
    flagCount: row.flagCount,
    reference: row.referenceChoice ? { choice: row.referenceChoice, source: row.referenceSource ?? 'unknown' } : null,
    lastActivityAt: new Date(row.lastActivityAt).toISOString(),
  };
}

/** The 400 for a cursor that is not one the list gave (under this order). */
export function badCursor(): AppError {
  return new AppError('VALIDATION_FAILED', 'cursor is not one this list gave for this order; start again without cursor.', { field: 'cursor' });
}

export const isoOrNull = (value: Date | string | null) => (value === null ? null : new Date(value).toISOString());
