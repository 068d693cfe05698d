// Loads an assignment for the rater who holds it: someone else's reads as missing (404), and a rater
// who left or was excluded from the campaign may no longer act on it (403); nor may anyone once the
// campaign's status forbids it (409, see domain/rater-campaign-state.ts).
import { findOwnAssignment, type OwnAssignment, type StoredJudgment } from '../../db/repositories/rating';
import { mayActOnLease } from '../../domain/rater-campaign-state';
import { AppError } from '../../errors';
import type { ServiceContext } from '../context';
import { campaignNotActive } from './claim-next-assignment';

/** Judge, skip, flag and undo: refused with CAMPAIGN_NOT_ACTIVE in a draft or archived campaign, and in a paused one once the lease expired. */
export function assertMayAct(ctx: ServiceContext, assignment: OwnAssignment): void {
  if (!mayActOnLease(assignment.campaignStatus, assignment.expiresAt, ctx.clock.now())) throw campaignNotActive();
}

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
