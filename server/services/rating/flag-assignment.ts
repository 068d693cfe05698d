// A rater reports a response (or both) as harmful, broken, in the wrong language or otherwise unfit:
// the flag is stored against the canonical response and the lease closes as FLAGGED.
import type { TFlagRequest, TReleaseResponse } from '../../contract/rater';
import { toCanonicalFlagTarget } from '../../domain/side-order';
import { AppError } from '../../errors';
import type { ServiceContext } from '../context';
import { releaseLease } from './release-lease';

export function flagAssignment(ctx: ServiceContext, raterId: string, assignmentId: string, body: TFlagRequest): Promise<TReleaseResponse> {
  return releaseLease(ctx, raterId, assignmentId, 'FLAGGED', ({ leftIsA, shownOrder }) => {
    // A ranking task has no left and right: its flag is about the task's responses as a whole.
    if (shownOrder.length > 0 && body.target !== 'both') {
      throw new AppError('VALIDATION_FAILED', 'A ranking task has no left or right response: flag it with target "both" and say which card in the note.', { field: 'target' });
    }
    return { reason: body.reason.toUpperCase(), target: toCanonicalFlagTarget(body.target, leftIsA), note: body.note || null };
  });
}
