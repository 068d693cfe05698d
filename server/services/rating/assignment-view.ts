// Turns stored assignments and judgments into what a rater sees: left/right only, never the canonical order.
import { ZTaskDesignSchema, type TTurn } from '../../contract/campaign';
import type { TAssignment, TAssignmentQueue, TJudgment, TRaterProgress } from '../../contract/rater';
import type { AssignmentView, StoredJudgment } from '../../db/repositories/rating';
import { toShown, type Ranking } from '../../domain/ranking';
import { toRaterChoice, toRaterCriteria, type CanonicalCriteria } from '../../domain/side-order';

/** How long after sending it a rater may take back their last judgment. */
export const UNDO_WINDOW_MS = 2 * 60_000;

export function toAssignment(v: AssignmentView): TAssignment {
  const shown =
    v.shownOrder.length > 0 && v.slotContents
      ? { responses: v.shownOrder.map((slot) => ({ content: v.slotContents![slot]! })) }
      : { left: { content: v.leftIsA ? v.aContent : v.bContent }, right: { content: v.leftIsA ? v.bContent : v.aContent } };
  return {
    id: v.id,
    campaignId: v.campaignId,
    guidelineVersion: v.guidelineVersion,
    design: ZTaskDesignSchema.parse(v.design),
    context: v.context as TTurn[],
    ...shown,
    expiresAt: v.expiresAt.toISOString(),
  };
}

export function toQueue(views: AssignmentView[], progress: TRaterProgress): TAssignmentQueue | null {
  const [first, second] = views;
  if (!first) return null;
  return { assignment: toAssignment(first), next: second ? toAssignment(second) : null, progress };
}

/** A ranking judgment as the rater gave it: cards in their shown order. */
function rankingAnswer(j: StoredJudgment & { ranking: Ranking }) {
  const criteria = j.criteria as Record<string, { ranking: Ranking }> | null;
  return {
    ranking: toShown(j.ranking, j.shownOrder),
    allBad: j.allBad,
    strength: null,
    criteria: criteria ? Object.fromEntries(Object.entries(criteria).map(([name, c]) => [name, { ranking: toShown(c.ranking, j.shownOrder) }])) : null,
  };
}

export function toJudgment(j: StoredJudgment): TJudgment {
  const answer =
    j.ranking && j.shownOrder.length > 0
      ? rankingAnswer({ ...j, ranking: j.ranking })
      : {
          choice: toRaterChoice(j.choice, j.leftIsA),
          strength: j.strength,
          criteria: j.criteria ? toRaterCriteria(j.criteria as CanonicalCriteria, j.leftIsA) : null,
        };
  return {
    assignmentId: j.assignmentId,
    ...answer,
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
