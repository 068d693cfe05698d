// GET /api/campaigns/:id/flags: the flag review queue, newest first.
import type { TFlagQueue, TFlagQueueQuery } from '../../contract/review';
import { readFlagQueue } from '../../db/repositories/review-actions';
import { cursorDate, decodeCursor, encodeCursor } from '../../domain/review/keyset-cursor';
import { requireCampaign } from '../campaigns/campaign-view';
import type { ServiceContext } from '../context';
import { badCursor, isoOrNull } from './comparison-view';

const ORDER = 'flags';

export async function listFlags(ctx: ServiceContext, campaignId: string, query: TFlagQueueQuery): Promise<TFlagQueue> {
  await requireCampaign(ctx.db, campaignId);
  let after: { at: Date; id: number } | null = null;
  if (query.cursor !== undefined) {
    const decoded = decodeCursor(query.cursor, ORDER);
    const at = decoded && cursorDate(decoded.value);
    if (!decoded || !at) throw badCursor();
    after = { at, id: decoded.id };
  }
  const rows = await readFlagQueue(ctx.db, { campaignId, reason: query.reason ?? null, state: query.state ?? null, after, limit: query.limit + 1 });
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    items: page.map((f) => ({
      id: f.id,
      comparisonId: f.comparisonId,
      rater: { id: f.raterId, name: f.raterName },
      reason: f.reason,
      target: f.target,
      note: f.note,
      createdAt: new Date(f.createdAt).toISOString(),
      dismissedAt: isoOrNull(f.dismissedAt),
      prompt: f.prompt ?? '',
      comparison: {
        removed: f.removed,
        removedAt: isoOrNull(f.removedAt),
        a: { responseId: f.responseAId, model: f.modelA, broken: f.brokenA !== null },
        b: { responseId: f.responseBId, model: f.modelB, broken: f.brokenB !== null },
      },
    })),
    nextCursor: rows.length > query.limit && last ? encodeCursor(ORDER, new Date(last.createdAt).toISOString(), last.id) : null,
  };
}
