// Submitting a judgment, called as a service (no HTTP) with a scripted clock and randomness: canonical
// storage, idempotent retries, and each refusal (conflicting key, already judged, released, lease lost, invalid).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TSubmitJudgmentRequest } from '../../../server/contract/rater';
import type { ServiceContext } from '../../../server/services/context';
import { claimNextAssignment } from '../../../server/services/rating/claim-next-assignment';
import { skipAssignment } from '../../../server/services/rating/skip-assignment';
import { submitJudgment } from '../../../server/services/rating/submit-judgment';
import { seedComparisons, type SeedComparisonsOptions } from '../../../testkit/factory';
import { createUser, startTestApp, type TestApp } from '../../helpers/app';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t?.close());

const T0 = new Date('2026-05-04T10:00:00Z');

/** The app's context at `now`; random.float always 0.9: B on the left, never gold. */
function ctxAt(now = T0): ServiceContext {
  return { ...t.app.ctx, clock: { now: () => now }, random: { ...t.app.ctx.random, float: () => 0.9 } };
}

/** A campaign, a member, and one comparison leased to them (B on the left). */
async function leased(options: SeedComparisonsOptions = {}, now = T0) {
  const s = await seedComparisons(t.app.ctx.db.prisma, { prompts: 1, models: 2, votes: 1, ...options });
  const rater = await createUser(t.app, 'RATER', [s.campaignId]);
  const claimed = await claimNextAssignment(ctxAt(now), rater.id, s.campaignId, { prefetch: false, explainInactive: true });
  return { s, rater, assignmentId: claimed.next!.assignment.id };
}

const answer = (choice: TSubmitJudgmentRequest['choice'], key = randomUUID()): TSubmitJudgmentRequest => ({ choice, timeMs: 1500, idempotencyKey: key });
const comparisonOf = (campaignId: string) => t.app.ctx.db.prisma.comparison.findFirstOrThrow({ where: { campaignId }, select: { id: true, leased: true, submitted: true } });

describe('submitJudgment', () => {
  it('stores the choice in canonical terms and moves the lease to submitted; the reply speaks in sides', async () => {
    const { s, rater, assignmentId } = await leased();
    const reply = await submitJudgment(ctxAt(), rater.id, assignmentId, answer('left'));
    expect(reply.judgment.choice).toBe('left');
    const stored = await t.app.ctx.db.prisma.judgment.findFirstOrThrow({ where: { assignmentId } });
    expect(stored.choice).toBe('B'); // B was shown on the left
    expect(await comparisonOf(s.campaignId)).toMatchObject({ leased: 0, submitted: 1 });
  });

  it('answers a retry with the first judgment and moves nothing twice; the same key with another answer is refused', async () => {
    const { s, rater, assignmentId } = await leased();
    const key = randomUUID();
    const first = await submitJudgment(ctxAt(), rater.id, assignmentId, answer('right', key));
    const retry = await submitJudgment(ctxAt(), rater.id, assignmentId, answer('right', key));
    expect(retry.judgment).toEqual(first.judgment);
    await expect(submitJudgment(ctxAt(), rater.id, assignmentId, answer('left', key))).rejects.toMatchObject({ code: 'IDEMPOTENCY_CONFLICT' });
    expect(await t.app.ctx.db.prisma.judgment.count({ where: { assignmentId } })).toBe(1);
    expect(await comparisonOf(s.campaignId)).toMatchObject({ leased: 0, submitted: 1 });
  });

  it('refuses a second judgment under a new key (ALREADY_JUDGED) and one on a skipped assignment (ASSIGNMENT_RELEASED)', async () => {
    const judged = await leased();
    await submitJudgment(ctxAt(), judged.rater.id, judged.assignmentId, answer('left'));
    await expect(submitJudgment(ctxAt(), judged.rater.id, judged.assignmentId, answer('right'))).rejects.toMatchObject({ code: 'ALREADY_JUDGED' });

    const skipped = await leased();
    await skipAssignment(ctxAt(), skipped.rater.id, skipped.assignmentId);
    await expect(submitJudgment(ctxAt(), skipped.rater.id, skipped.assignmentId, answer('left'))).rejects.toMatchObject({ code: 'ASSIGNMENT_RELEASED' });
    expect(await t.app.ctx.db.prisma.judgment.count({ where: { assignmentId: skipped.assignmentId } })).toBe(0);
  });

  it('takes a late judgment while its place is free, and answers LEASE_LOST once the place went to another rater', async () => {
    const later = new Date(T0.getTime() + 120_000); // past the 60 s lease
    const late = await leased({ leaseSeconds: 60 });
    await submitJudgment(ctxAt(later), late.rater.id, late.assignmentId, answer('left'));
    expect(await comparisonOf(late.s.campaignId)).toMatchObject({ leased: 0, submitted: 1 });

    const lost = await leased({ leaseSeconds: 60 });
    const other = await createUser(t.app, 'RATER', [lost.s.campaignId]);
    const taken = await claimNextAssignment(ctxAt(later), other.id, lost.s.campaignId, { prefetch: false, explainInactive: true });
    expect(taken.next).not.toBeNull();
    await expect(submitJudgment(ctxAt(later), lost.rater.id, lost.assignmentId, answer('left'))).rejects.toMatchObject({ code: 'LEASE_LOST' });
    expect(await comparisonOf(lost.s.campaignId)).toMatchObject({ leased: 1, submitted: 0 });
  });

  it('refuses an answer the task design does not allow, naming the field, and stores nothing', async () => {
    const { s, rater, assignmentId } = await leased({ design: { scale: { allowTie: false, allowBothBad: false, strengthLevels: [] } } });
    await expect(submitJudgment(ctxAt(), rater.id, assignmentId, answer('tie'))).rejects.toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'choice' } });
    expect(await comparisonOf(s.campaignId)).toMatchObject({ leased: 1, submitted: 0 });
  });
});
