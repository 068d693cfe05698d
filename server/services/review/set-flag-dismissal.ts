// POST /api/flags/:id/dismiss and /reopen: an admin saw the flag and kept the comparison (or takes that back).
import { lockFlag, setFlagDismissed } from '../../db/repositories/review-actions';
import { AppError } from '../../errors';
import { recordAuditEvent, type AuditActor } from '../audit/record-audit-event';
import type { ServiceContext } from '../context';

export interface FlagDismissal {
  flagId: number;
  dismissed: boolean;
  reason: string | null;
  actor: Exclude<AuditActor, 'system'>;
}

/** Asking for the state the flag is already in changes nothing and records nothing. */
export async function setFlagDismissal(ctx: ServiceContext, change: FlagDismissal): Promise<{ flagId: number; dismissed: boolean; changed: boolean }> {
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const flag = await lockFlag(tx, change.flagId);
    if (!flag) throw new AppError('NOT_FOUND', 'There is no flag with this id; pick one from the flag queue.');
    const result = { flagId: flag.id, dismissed: change.dismissed, changed: false };
    if ((flag.dismissedAt !== null) === change.dismissed) return result;
    await setFlagDismissed(tx, flag.id, change.dismissed ? now : null);
    await recordAuditEvent(ctx, tx, change.actor, {
      action: change.dismissed ? 'flag.dismiss' : 'flag.reopen',
      target: { type: 'flag', id: String(flag.id) },
      campaignId: flag.campaignId,
      before: { dismissedAt: flag.dismissedAt },
      after: { dismissedAt: change.dismissed ? now : null, comparisonId: flag.comparisonId, reason: change.reason },
    });
    return { ...result, changed: true };
  });
}
