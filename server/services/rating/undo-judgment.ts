// Takes back the rater's last judgment within UNDO_WINDOW_MS: the judgment is marked undone (kept),
// and the comparison is leased to the same rater again so they can answer anew.
import type { TUndoResponse } from '../../contract/rater';
import { findStandingJudgment, loadAssignmentView, undoLastJudgment } from '../../db/repositories/rating';
import { AppError } from '../../errors';
import type { ServiceContext } from '../context';
import { toAssignment, toJudgment, UNDO_WINDOW_MS } from './assignment-view';
import { assertMayAct, loadOwnAssignment } from './own-assignment';

export async function undoJudgment(ctx: ServiceContext, raterId: string, assignmentId: string): Promise<TUndoResponse> {
  const { assignment } = await loadOwnAssignment(ctx, raterId, assignmentId);
  assertMayAct(ctx, assignment);
  const now = ctx.clock.now();
  const standing = await findStandingJudgment(ctx.db, assignmentId);
  const expiresAt = new Date(now.getTime() + assignment.leaseSeconds * 1000);
  if (!standing || !(await undoLastJudgment(ctx.db, assignmentId, raterId, new Date(now.getTime() - UNDO_WINDOW_MS), now, expiresAt))) {
    throw new AppError('UNDO_WINDOW_PASSED', `Only your last judgment can be undone, within ${UNDO_WINDOW_MS / 60_000} minutes of sending it.`);
  }
  const view = await loadAssignmentView(ctx.db, assignmentId, raterId);
  if (!view) throw new AppError('NOT_FOUND', 'There is no such assignment. Reload to get your next comparison.');
  return { assignment: toAssignment(view), undone: toJudgment(standing) };
}
