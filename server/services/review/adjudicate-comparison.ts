// POST /api/comparisons/:id/adjudicate and /withdraw-adjudication: an admin answers a disputed comparison.
// Not gold: its judgments stay regular (counted, exported, in the leaderboard). It stops taking regular
// judgments and becomes a gold item for raters who never had it (their gold accuracy counts it); exports
// may use the answer instead of the majority (adjudication=prefer). Adjudication has the history (asOf).
import type { TCanonicalChoice } from '../../contract/review';
import { lockForAdjudication, recordAdjudication } from '../../db/repositories/review-actions';
import { AppError } from '../../errors';
import { recordAuditEvent, type AuditActor } from '../audit/record-audit-event';
import type { ServiceContext } from '../context';

export interface AdjudicationChange {
  comparisonId: number;
  /** null withdraws the standing answer. */
  choice: TCanonicalChoice | null;
  note: string | null;
  actor: Exclude<AuditActor, 'system'>;
}

export async function adjudicateComparison(
  ctx: ServiceContext,
  change: AdjudicationChange,
): Promise<{ comparisonId: number; adjudicated: TCanonicalChoice | null; changed: boolean }> {
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const c = await lockForAdjudication(tx, change.comparisonId);
    if (!c) throw new AppError('NOT_FOUND', 'There is no comparison with this id; pick one from the explorer.');
    const current = c.adjudicatedChoice as TCanonicalChoice | null;
    if (change.choice === null && current === null) return { comparisonId: c.id, adjudicated: null, changed: false };
    if (change.choice !== null) {
      const refuse = (reason: 'gold' | 'removed' | 'incomplete' | 'unanimous', message: string) => new AppError('NOT_ADJUDICABLE', message, { reason });
      if (c.isGold) throw refuse('gold', 'This comparison is a gold item already: it has a known answer.');
      if (c.removed) throw refuse('removed', 'This comparison is removed; restore it before adjudicating it.');
      if (c.submitted < c.target) throw refuse('incomplete', `Only a comparison with its ${c.target} judgments in can be adjudicated; this one has ${c.submitted}.`);
      if (c.votes < 2 || c.dispute === 0) throw refuse('unanimous', 'Only a disputed comparison (raters disagree) can be adjudicated; this one is unanimous.');
      if (current === change.choice) return { comparisonId: c.id, adjudicated: current, changed: false };
    }
    await recordAdjudication(tx, { campaignId: c.campaignId, comparisonId: c.id, choice: change.choice, note: change.note, actorId: change.actor.user.id, at: now });
    await recordAuditEvent(ctx, tx, change.actor, {
      action: change.choice === null ? 'comparison.withdraw-adjudication' : 'comparison.adjudicate',
      target: { type: 'comparison', id: String(c.id) },
      campaignId: c.campaignId,
      before: { adjudicated: current },
      after: { adjudicated: change.choice, note: change.note },
    });
    return { comparisonId: c.id, adjudicated: change.choice, changed: true };
  });
}
