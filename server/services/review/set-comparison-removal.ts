// POST /api/comparisons/:id/remove and /restore: take one comparison out of the campaign (or back in).
// Removed: no longer served, left out of stats and exports from now on (an export as of an earlier time is
// unchanged: RemovalEvent has the history). Counters and leases are untouched: a rater who holds a lease
// can still judge it, and its place is neither freed nor taken.
import { lockComparison, recordRemovalEvent, refreshRemoved, setComparisonRemovedAt } from '../../db/repositories/review-actions';
import { AppError } from '../../errors';
import { recordAuditEvent, type AuditActor } from '../audit/record-audit-event';
import type { ServiceContext } from '../context';

export interface ComparisonRemoval {
  comparisonId: number;
  removed: boolean;
  reason: string | null;
  actor: Exclude<AuditActor, 'system'>;
}

export interface RemovalResult {
  comparisonId: number;
  removedDirectly: boolean;
  removed: boolean;
  changed: boolean;
}

/** Asking for the state the comparison is already in changes nothing and records nothing. */
export async function setComparisonRemoval(ctx: ServiceContext, change: ComparisonRemoval): Promise<RemovalResult> {
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const comparison = await lockComparison(tx, change.comparisonId);
    if (!comparison) throw new AppError('NOT_FOUND', 'There is no comparison with this id; pick one from the explorer.');
    if ((comparison.removedAt !== null) === change.removed) {
      return { comparisonId: comparison.id, removedDirectly: change.removed, removed: comparison.removed, changed: false };
    }
    await setComparisonRemovedAt(tx, comparison.id, change.removed ? now : null);
    const flipped = await refreshRemoved(tx, { comparisonId: comparison.id });
    const removed = flipped.length > 0 ? !comparison.removed : comparison.removed;
    await recordRemovalEvent(tx, { campaignId: comparison.campaignId, comparisonId: comparison.id, removed: change.removed, actorId: change.actor.user.id, reason: change.reason, at: now });
    await recordAuditEvent(ctx, tx, change.actor, {
      action: change.removed ? 'comparison.remove' : 'comparison.restore',
      target: { type: 'comparison', id: String(comparison.id) },
      campaignId: comparison.campaignId,
      before: { removedAt: comparison.removedAt, removed: comparison.removed },
      after: { removedAt: change.removed ? now : null, removed, reason: change.reason },
    });
    return { comparisonId: comparison.id, removedDirectly: change.removed, removed, changed: true };
  });
}
