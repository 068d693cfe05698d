// GET /api/campaigns/:id/comparisons: the explorer's filtered keyset pages.
import type { TComparisonList, TComparisonListQuery } from '../../contract/review';
import { readComparisonPage, type ExplorerKeyset } from '../../db/repositories/explorer';
import { cursorDate, decodeCursor, encodeCursor } from '../../domain/review/keyset-cursor';
import { requireCampaign } from '../campaigns/campaign-view';
import type { ServiceContext } from '../context';
import { badCursor, toComparisonSummary } from './comparison-view';

function keysetOf(cursor: string, sort: TComparisonListQuery['sort']): ExplorerKeyset {
  const decoded = decodeCursor(cursor, sort);
  if (!decoded) throw badCursor();
  if (sort === 'activity') {
    const at = cursorDate(decoded.value);
    if (!at) throw badCursor();
    return { sort, at, id: decoded.id };
  }
  if (typeof decoded.value !== 'number') throw badCursor();
  return { sort, dispute: decoded.value, id: decoded.id };
}

export async function listComparisons(ctx: ServiceContext, campaignId: string, query: TComparisonListQuery): Promise<TComparisonList> {
  await requireCampaign(ctx.db, campaignId);
  const rows = await readComparisonPage(ctx.db, {
    campaignId,
    filters: {
      promptId: query.promptId ?? null,
      model: query.model ?? null,
      pair: query.pair ?? null,
      status: query.status ?? null,
      agreement: query.agreement ?? null,
      flagged: query.flagged ?? null,
      rationale: query.rationale ?? null,
      rater: query.rater ?? null,
      guidelineVersion: query.guidelineVersion ?? null,
      gold: query.gold ?? null,
      reference: query.reference ?? null,
      text: query.q ?? null,
    },
    sort: query.sort,
    after: query.cursor === undefined ? null : keysetOf(query.cursor, query.sort),
    limit: query.limit + 1,
  });
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  const more = rows.length > query.limit && last !== undefined;
  return {
    items: page.map(toComparisonSummary),
    nextCursor: more
      ? encodeCursor(query.sort, query.sort === 'activity' ? new Date(last.lastActivityAt).toISOString() : last.dispute, last.id)
      : null,
  };
}
