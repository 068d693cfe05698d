// Skip and flag both close the rater's lease without a judgment (its place goes back to the
// comparison, and the rater never sees it again), then hand back the rater's next queue.
import type { TReleaseResponse } from '../../contract/rater';
import { releaseAssignment, type OwnAssignment, type ReleaseWrite } from '../../db/repositories/rating';
import { AppError } from '../../errors';
import type { ServiceContext } from '../context';
import { claimNextAssignment } from './claim-next-assignment';
import { assertMayAct, loadOwnAssignment } from './own-assignment';

export async function releaseLease(
  ctx: ServiceContext,
  raterId: string,
  assignmentId: string,
  status: ReleaseWrite['status'],
  flagFor: (assignment: OwnAssignment) => ReleaseWrite['flag'],
): Promise<TReleaseResponse> {
  const { assignment } = await loadOwnAssignment(ctx, raterId, assignmentId);
  assertMayAct(ctx, assignment);
  const was = await releaseAssignment(ctx.db, { assignmentId, raterId, status, flag: flagFor(assignment), now: ctx.clock.now() });
  if (was === 'SUBMITTED') throw new AppError('ALREADY_JUDGED', 'You already judged this comparison; undo it first if you want to skip or flag it.');
  return claimNextAssignment(ctx, raterId, assignment.campaignId, { prefetch: true, explainInactive: false });
}
