// POST /api/responses/:id/mark-broken and /unmark-broken: a broken response takes every comparison it is in
// out of the campaign (as a removal does: not served, out of stats and exports, history kept for asOf); unmarking
// brings back those not also removed directly or by their other response.
import { lockResponse, recordRemovalEvent, refreshRemoved, setResponseBroken } from '../../db/repositories/review-actions';
import { AppError } from '../../errors';
import { recordAuditEvent, type AuditActor } from '../audit/record-audit-event';
import type { ServiceContext } from '../context';

export interface ResponseBrokenChange {
  responseId: number;
  broken: boolean;
  reason: string | null;
  actor: Exclude<AuditActor, 'system'>;
}

/** Asking for the state the response is already in changes nothing and records nothing. */
export async function setResponseBrokenState(
  ctx: ServiceContext,
  change: ResponseBrokenChange,
): Promise<{ responseId: number; broken: boolean; changed: boolean; comparisonsAffected: number }> {
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const response = await lockResponse(tx, change.responseId);
    if (!response) throw new AppError('NOT_FOUND', 'There is no response with this id; open it from a comparison page.');
    const unchanged = { responseId: response.id, broken: change.broken, changed: false, comparisonsAffected: 0 };
    if ((response.brokenAt !== null) === change.broken) return unchanged;
    await setResponseBroken(tx, response.id, change.broken ? now : null);
    const affected = await refreshRemoved(tx, { responseId: response.id });
    await recordRemovalEvent(tx, { campaignId: response.campaignId, responseId: response.id, removed: change.broken, actorId: change.actor.user.id, reason: change.reason, at: now });
    await recordAuditEvent(ctx, tx, change.actor, {
      action: change.broken ? 'response.mark-broken' : 'response.unmark-broken',
      target: { type: 'response', id: String(response.id) },
      campaignId: response.campaignId,
      before: { brokenAt: response.brokenAt },
      after: { brokenAt: change.broken ? now : null, model: response.model, comparisonsAffected: affected, reason: change.reason },
    });
    return { ...unchanged, changed: true, comparisonsAffected: affected.length };
  });
}
