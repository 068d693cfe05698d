// GET /api/comparisons/:id: one comparison as the admin reviews it, with every judgment and flag.
import type { TComparisonDetail } from '../../contract/review';
import { readComparisonDetail } from '../../db/repositories/explorer';
import { AppError } from '../../errors';
import type { ServiceContext } from '../context';
import { toComparisonSummary } from './comparison-view';

type Turn = TComparisonDetail['context'][number];
type Criteria = TComparisonDetail['judgments'][number]['criteria'];

const iso = (value: Date | string) => new Date(value).toISOString();

export async function getComparison(ctx: ServiceContext, comparisonId: number): Promise<TComparisonDetail> {
  const found = await readComparisonDetail(ctx.db, comparisonId);
  if (!found) throw new AppError('NOT_FOUND', 'There is no comparison with this id; pick one from the explorer.');
  const { comparison: row, judgments, flags } = found;
  const { a, b, ...summary } = toComparisonSummary(row);
  return {
    ...summary,
    campaignId: row.campaignId,
    context: row.context as Turn[],
    a: { id: a.responseId, model: a.model, content: row.contentA, broken: a.broken },
    b: { id: b.responseId, model: b.model, content: row.contentB, broken: b.broken },
    judgments: judgments.map((j) => ({
      id: j.id,
      rater: { id: j.raterId, name: j.raterName },
      shownLeft: j.leftIsA ? 'A' : 'B',
      choice: j.choice,
      strength: j.strength,
      criteria: (j.criteria ?? null) as Criteria,
      rationale: j.rationale,
      timeMs: j.timeMs,
      guidelineVersion: j.guidelineVersion,
      isGold: j.isGold,
      createdAt: iso(j.createdAt),
      undoneAt: j.undoneAt ? iso(j.undoneAt) : null,
      excluded: j.excluded,
    })),
    flags: flags.map((f) => ({ id: f.id, rater: { id: f.raterId, name: f.raterName }, reason: f.reason, target: f.target, note: f.note, createdAt: iso(f.createdAt), dismissedAt: f.dismissedAt ? iso(f.dismissedAt) : null })),
  };
}
