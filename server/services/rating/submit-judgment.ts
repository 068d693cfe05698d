// A rater's judgment: validated against the campaign's task design, stored in canonical order with the
// counters moved in one statement, idempotent on the client's key; the reply carries the next queue.
import { isDeepStrictEqual } from 'node:util';
import { ZTaskDesignSchema, type TTaskDesign } from '../../contract/campaign';
import type { TSubmitJudgmentRequest, TSubmitJudgmentResponse } from '../../contract/rater';
import { isUniqueViolation } from '../../db/errors';
import { findOwnAssignment, insertJudgment, insertLeasedJudgment, type StoredJudgment } from '../../db/repositories/rating';
import { validateJudgment, validateRankingJudgment } from '../../domain/judgment-validation';
import { pairOutcome, toSlots, type Ranking } from '../../domain/ranking';
import { toCanonicalChoice, toCanonicalCriteria, type CanonicalChoice, type CanonicalCriteria } from '../../domain/side-order';
import { AppError } from '../../errors';
import type { ServiceContext } from '../context';
import { toJudgment } from './assignment-view';
import { claimNextAssignment } from './claim-next-assignment';
import { forgetLease, leaseFacts } from './lease-facts';
import { assertMayAct, loadOwnAssignment } from './own-assignment';

interface CanonicalAnswer {
  choice: CanonicalChoice;
  strength: number | null;
  criteria: CanonicalCriteria | Record<string, { ranking: Ranking }> | null;
  rationale: string | null;
  /** A ranking task's answer in slots; null for a pair. */
  ranking: Ranking | null;
  allBad: boolean;
}

type Invalid = { field: string; message: string };

const invalid = (result: Invalid) => new AppError('VALIDATION_FAILED', `Invalid judgment: ${result.field}: ${result.message}`, { field: result.field });

/** What the rater was shown: the guideline version's design and the side order, or a ranking task's card order. */
interface Shown {
  design: TTaskDesign;
  leftIsA: boolean;
  /** A ranking task's slots in the order its cards were shown; empty for a pair. */
  shownOrder: number[];
}

/** The answer validated against what the rater was shown, in canonical terms (A/B, slots), or why it is invalid. */
function canonicalAnswer(shown: Shown, body: TSubmitJudgmentRequest): CanonicalAnswer | Invalid {
  if (shown.shownOrder.length > 0) return canonicalRanking(shown.shownOrder, shown.design, body);
  const result = validateJudgment(shown.design, body);
  if (!result.ok) return result;
  const v = result.value;
  return {
    choice: toCanonicalChoice(v.choice, shown.leftIsA),
    strength: v.strength,
    criteria: v.criteria ? toCanonicalCriteria(v.criteria, shown.leftIsA) : null,
    rationale: v.rationale,
    ranking: null,
    allBad: false,
  };
}

const isInvalid = (a: CanonicalAnswer | Invalid): a is Invalid => 'field' in a;

/**
 * A ranking task's answer in slot terms (the cards' shown order undone); `choice` records what it says about
 * slots 0 and 1 (the comparison's A and B), so that readers of pairs (the explorer's vote summary) see it too.
 */
function canonicalRanking(shownOrder: number[], design: TTaskDesign, body: TSubmitJudgmentRequest): CanonicalAnswer | Invalid {
  const result = validateRankingJudgment(design, shownOrder.length, body);
  if (!result.ok) return result;
  const { allBad, rationale } = result.value;
  const ranking = toSlots(result.value.ranking, shownOrder);
  const criteria = result.value.criteria
    ? Object.fromEntries(Object.entries(result.value.criteria).map(([name, r]) => [name, { ranking: toSlots(r, shownOrder) }]))
    : null;
  return { choice: pairOutcome(ranking, 0, 1, allBad), strength: null, criteria, rationale, ranking, allBad };
}

/**
 * One round trip for a lease this instance handed out (no read of the assignment first): validated from
 * what it remembers, stored by a statement that checks all of that and what the read would have checked.
 * Null whenever the long way must decide (nothing remembered, an invalid answer, a refusal, a reused
 * key), so that every reply but a plain success is exactly the long way's.
 */
async function judgeRememberedLease(
  ctx: ServiceContext,
  raterId: string,
  assignmentId: string,
  body: TSubmitJudgmentRequest,
): Promise<{ stored: StoredJudgment; campaignId: string } | null> {
  const facts = leaseFacts(assignmentId, raterId);
  if (!facts) return null;
  const answer = canonicalAnswer(facts, body);
  if (isInvalid(answer)) return null;
  try {
    const row = await insertLeasedJudgment(ctx.db, {
      assignmentId,
      raterId,
      campaignId: facts.campaignId,
      ...answer,
      timeMs: body.timeMs,
      idempotencyKey: body.idempotencyKey,
      guidelineVersion: facts.guidelineVersion,
      now: ctx.clock.now(),
      leftIsA: facts.leftIsA,
      shownOrder: facts.shownOrder,
      designJson: facts.designJson,
    });
    if (!row) return null;
    forgetLease(assignmentId);
    ctx.metrics.judgmentStored();
    const stored = { assignmentId, ...answer, timeMs: body.timeMs, createdAt: row.createdAt, leftIsA: facts.leftIsA, shownOrder: facts.shownOrder };
    return { stored, campaignId: facts.campaignId };
  } catch (err) {
    if (isUniqueViolation(err)) return null;
    throw err;
  }
}

/** A retry gets the first answer; the same key with another answer is refused (timeMs may differ). */
function replay(existing: StoredJudgment, assignmentId: string, answer: CanonicalAnswer): StoredJudgment {
  const same =
    existing.assignmentId === assignmentId &&
    isDeepStrictEqual(
      {
        choice: existing.choice,
        strength: existing.strength,
        criteria: existing.criteria ?? null,
        rationale: existing.rationale,
        ranking: existing.ranking ?? null,
        allBad: existing.allBad,
      },
      { ...answer },
    );
  if (!same) throw new AppError('IDEMPOTENCY_CONFLICT', 'This idempotency key was already used for a different judgment. Send a new key for a new judgment.');
  return existing;
}

/**
 * Why the judgment was not stored, or the stored one when a concurrent retry with the same key
 * committed it after this request looked for it (the assignment then reads SUBMITTED).
 */
async function explainRefusal(ctx: ServiceContext, raterId: string, assignmentId: string, idempotencyKey: string): Promise<AppError | StoredJudgment> {
  const { assignment, existing } = await findOwnAssignment(ctx.db, assignmentId, raterId, idempotencyKey);
  if (existing) return existing;
  if (assignment?.status === 'SUBMITTED') return new AppError('ALREADY_JUDGED', 'You already judged this comparison; undo it first to change your answer.');
  if (assignment?.status === 'SKIPPED' || assignment?.status === 'FLAGGED') {
    return new AppError('ASSIGNMENT_RELEASED', 'You skipped or flagged this comparison, so it can no longer be judged.');
  }
  return new AppError('LEASE_LOST', 'This comparison was held for you too long and has gone to another rater, so your answer was not counted. Carry on with the next one.');
}

export async function submitJudgment(ctx: ServiceContext, raterId: string, assignmentId: string, body: TSubmitJudgmentRequest): Promise<TSubmitJudgmentResponse> {
  const { stored, campaignId } = (await judgeRememberedLease(ctx, raterId, assignmentId, body)) ?? (await judgeReadFirst(ctx, raterId, assignmentId, body));
  const next = await claimNextAssignment(ctx, raterId, campaignId, { prefetch: true, explainInactive: false });
  return { judgment: toJudgment(stored), ...next };
}

/** The long way: reads the assignment (and a judgment stored under the key) first; every refusal is explained here. */
async function judgeReadFirst(
  ctx: ServiceContext,
  raterId: string,
  assignmentId: string,
  body: TSubmitJudgmentRequest,
): Promise<{ stored: StoredJudgment; campaignId: string }> {
  const { assignment, existing } = await loadOwnAssignment(ctx, raterId, assignmentId, body.idempotencyKey);
  const answer = canonicalAnswer({ ...assignment, design: ZTaskDesignSchema.parse(assignment.design) }, body);
  if (isInvalid(answer)) throw invalid(answer);
  const campaignId = assignment.campaignId;
  // A retry of a stored judgment gets its first answer whatever the campaign's status since.
  if (existing) return { stored: replay(existing, assignmentId, answer), campaignId };
  assertMayAct(ctx, assignment);
  try {
    const row = await insertJudgment(ctx.db, {
      assignmentId,
      raterId,
      campaignId,
      ...answer,
      timeMs: body.timeMs,
      idempotencyKey: body.idempotencyKey,
      guidelineVersion: assignment.guidelineVersion,
      now: ctx.clock.now(),
    });
    if (row) {
      ctx.metrics.judgmentStored();
      return {
        stored: { assignmentId, ...answer, timeMs: body.timeMs, createdAt: row.createdAt, leftIsA: assignment.leftIsA, shownOrder: assignment.shownOrder },
        campaignId,
      };
    }
    const refusal = await explainRefusal(ctx, raterId, assignmentId, body.idempotencyKey);
    if (refusal instanceof AppError) throw refusal;
    return { stored: replay(refusal, assignmentId, answer), campaignId };
  } catch (err) {
    // A concurrent retry with the same key stored it first: answer as a retry.
    if (!isUniqueViolation(err)) throw err;
    const again = await findOwnAssignment(ctx.db, assignmentId, raterId, body.idempotencyKey);
    if (!again.existing) throw err;
    return { stored: replay(again.existing, assignmentId, answer), campaignId };
  }
}
