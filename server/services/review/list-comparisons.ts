// GET /api/campaigns/:id/comparisons: the explorer's filtered keyset pages.
import type { TComparisonList, TComparisonListQuery } from '../../contract/review';
import { readComparisonPage, type ExplorerKeyset } from '../../db/repositories/explorer';
import { AppError } from '../../errors';
import { requireCampaign } from '../campaigns/campaign-view';
import type { ServiceContext } from '../context';
import { toComparisonSummary } from './comparison-view';

/** The cursor is the last row's sort value and id, as base64url JSON: opaque to clients, checked on the way in. */
function encodeCursor(key: ExplorerKeyset): string {
  const value = key.sort === 'activity' ? key.at.toISOString() : key.dispute;
  return Buffer.from(JSON.stringify([key.sort, value, key.id])).toString('base64url');
}

function decodeCursor(cursor: string, sort: TComparisonListQuery['sort']): ExplorerKeyset {
  const refuse = () =>
    new AppError('VALIDATION_FAILED', 'cursor is not one this list gave for this sort; start again without cursor.', { field: 'cursor' });
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw refuse();
  }
  if (!Array.isArray(parsed) || parsed.length !== 3 || parsed[0] !== sort || !Number.isInteger(parsed[2])) throw refuse();
  const [, value, id] = parsed as [string, unknown, number];
  if (sort === 'activity') {
    const at = typeof value === 'string' ? new Date(value) : null;
    if (!at || Number.isNaN(at.getTime())) throw refuse();
    return { sort, at, id };
  }
  if (!Number.isInteger(value)) throw refuse();
  return { sort, dispute: value as number, id };
}

export async function listComparisons(ctx: ServiceContext, campaignId: string, query: TComparisonListQuery): Promise<TComparisonList> {
  await requireCampaign(ctx.db.prisma, campaignId);
  const rows = await readComparisonPage(ctx.db, {
    campaignId,
    filters: {
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
    after: query.cursor === undefined ? null : decodeCursor(query.cursor, query.sort),
    limit: query.limit + 1,
  });
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  const more = rows.length > query.limit && last !== undefined;
  return {
    items: page.map(toComparisonSummary),
    nextCursor: more
      ? encodeCursor(query.sort === 'activity' ? { sort: 'activity', at: new Date(last.lastActivityAt), id: last.id } : { sort: 'disputed', dispute: last.dispute, id: last.id })
      : null,
  };
}
