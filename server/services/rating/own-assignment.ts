// Loads an assignment for the rater who holds it: someone else's reads as missing (404), and a rater
// who left or was excluded from the campaign may no longer act on it (403).
import { findOwnAssignment, type OwnAssignment, type StoredJudgment } from '../../db/repositories/rating';
import { AppError } from '../../errors';
import type { ServiceContext } from '../context';

export async function loadOwnAssignment(
  ctx: ServiceContext,
  raterId: string,
  assignmentId: string,
  idempotencyKey: string | null = null,
): Promise<{ assignment: OwnAssignment; existing: StoredJudgment | null }> {
  const { assignment, existing } = await findOwnAssignment(ctx.db, assignmentId, raterId, idempotencyKey);
  if (!assignment) throw new AppError('NOT_FOUND', 'There is no such assignment. Reload to get your next comparison.');
  if (assignment.excluded !== false) throw new AppError('NOT_A_MEMBER', 'You are no longer a rater in this campaign.');
  return { assignment, existing };
}
