// A rater passes on a comparison: the lease is released as SKIPPED.
import type { TReleaseResponse } from '../../contract/rater';
import type { ServiceContext } from '../context';
import { releaseLease } from './release-lease';

export function skipAssignment(ctx: ServiceContext, raterId: string, assignmentId: string): Promise<TReleaseResponse> {
  return releaseLease(ctx, raterId, assignmentId, 'SKIPPED', () => null);
}
