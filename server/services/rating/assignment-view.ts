// Turns stored assignments and judgments into what a rater sees: left/right only, never the canonical order.
import { ZTaskDesignSchema, type TTurn } from '../../contract/campaign';
import type { TAssignment, TAssignmentQueue, TJudgment, TRaterProgress } from '../../contract/rater';
import type { AssignmentView, StoredJudgment } from '../../db/repositories/rating';
import { toRaterChoice, toRaterCriteria, type CanonicalCriteria } from '../../domain/side-order';

/** How long after sending it a rater may take back their last judgment. */
export const UNDO_WINDOW_MS = 2 * 60_000;

export function toAssignment(v: AssignmentView): TAssignment {
  return {
    id: v.id,
    campaignId: v.campaignId,
    guidelineVersion: v.guidelineVersion,
    design: ZTaskDesignSchema.parse(v.design),
    context: v.context as TTurn[],
    left: { content: v.leftIsA ? v.aContent : v.bContent },
    right: { content: v.leftIsA ? v.bContent : v.aContent },
    expiresAt: v.expiresAt.toISOString(),
  };
}

export function toQueue(views: AssignmentView[], progress: TRaterProgress): TAssignmentQueue | null {
  const [first, second] = views;
  if (!first) return null;
  return { assignment: toAssignment(first), next: second ? toAssignment(second) : null, progress };
}

export function toJudgment(j: StoredJudgment): TJudgment {
  return {
    assignmentId: j.assignmentId,
    choice: toRaterChoice(j.choice, j.leftIsA),
    strength: j.strength,
    criteria: j.criteria ? toRaterCriteria(j.criteria as CanonicalCriteria, j.leftIsA) : null,
    rationale: j.rationale,
    timeMs: j.timeMs,
    createdAt: j.createdAt.toISOString(),
    undoableUntil: new Date(j.createdAt.getTime() + UNDO_WINDOW_MS).toISOString(),
  };
}

/** Midnight UTC of `now`: "judged today" counts from there. */
export function startOfUtcDay(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
}
