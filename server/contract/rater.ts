// The rater's loop: what a rater is shown and sends. Nothing here names a model, a response or a
// comparison, or the canonical A/B order: a rater only ever sees "left" and "right", or a ranking task's
// cards in the order shown to them (indexes 0..K-1 into `responses`).
import { z } from 'zod';
import { ZTaskDesignSchema, ZTurnSchema } from './task-design';

/** A rater's answer in the terms they saw. */
export const ZRaterChoiceSchema = z.enum(['left', 'right', 'tie', 'both_bad']);
export type TRaterChoice = z.infer<typeof ZRaterChoiceSchema>;

/** A ranking of the shown cards: groups of card indexes, best first; a group of several is a tie. */
export const ZCardRankingSchema = z.array(z.array(z.number()));

/** One criterion's answer; strength is a magnitude 1..n toward the chosen side (none for a tie or both bad). */
export const ZCriterionAnswerSchema = z.object({
  choice: ZRaterChoiceSchema,
  strength: z.number().int().min(1).max(7).optional(),
});
export type TCriterionAnswer = z.infer<typeof ZCriterionAnswerSchema>;

/** A ranking task's criterion is answered with a ranking of the cards. */
export const ZCriterionRankingSchema = z.object({ ranking: ZCardRankingSchema });
const ZAnyCriterionAnswerSchema = z.union([ZCriterionAnswerSchema, ZCriterionRankingSchema]);
/** A pair's judgment gives `choice`; a ranking task's gives `ranking` (every card once) and/or `allBad`. */
export const ZSubmitJudgmentRequestSchema = z.object({
  choice: ZRaterChoiceSchema.optional(),
  ranking: ZCardRankingSchema.optional(),
  /** Every response is bad (when the design allows both-bad); without `ranking`, all are tied. */
  allBad: z.boolean().optional(),
  strength: z.number().int().min(1).max(7).optional(),
  criteria: z.record(z.string().max(40), ZAnyCriterionAnswerSchema).optional(),
  rationale: z.string().max(20_000).optional(),
  /** Time on task in milliseconds, measured by the client. */
  timeMs: z.number().int().min(0).max(86_400_000),
  /** Chosen by the client per submission; a retry with the same key returns the first answer. */
  idempotencyKey: z.string().min(8).max(100),
});
export type TSubmitJudgmentRequest = z.infer<typeof ZSubmitJudgmentRequestSchema>;

export const ZResponseSideSchema = z.object({ content: z.string() });

/** One comparison leased to the rater, as they see it. */
export const ZAssignmentSchema = z.object({
  id: z.uuid(),
  campaignId: z.uuid(),
  guidelineVersion: z.number().int(),
  /** The task design of that guideline version (instructions are fetched once with the campaign). */
  design: ZTaskDesignSchema,
  /** The conversation so far, ending with the user turn both responses answer. */
  context: z.array(ZTurnSchema),
  /** A pair's two responses as placed on screen (absent for a ranking task). */
  left: ZResponseSideSchema.optional(),
  right: ZResponseSideSchema.optional(),
  /** A ranking task's responses in the order shown (card 1 first), instead of left and right. */
  responses: z.array(ZResponseSideSchema).optional(),
  /** The lease: after this a judgment is still taken unless the comparison went to someone else. */
  expiresAt: z.iso.datetime(),
});
export type TAssignment = z.infer<typeof ZAssignmentSchema>;

export const ZRaterProgressSchema = z.object({
  /** Judgments this rater made in the campaign since 00:00 UTC. */
  judgedToday: z.number().int(),
  /** Comparisons this rater may still be asked to judge in the campaign (their open leases included). */
  remaining: z.number().int(),
});
export type TRaterProgress = z.infer<typeof ZRaterProgressSchema>;

/**
 * Why a rater is given nothing more: the campaign is not open for rating (paused, draft or archived),
 * the rater reached the campaign's per-rater cap, the remaining comparisons are all leased to other
 * raters for now (they come back when those leases expire), or there is nothing left for this rater.
 */
export const ZRaterStopSchema = z.enum(['CAMPAIGN_NOT_ACTIVE', 'CAP_REACHED', 'ALL_LEASED', 'DONE']);
export type TRaterStop = z.infer<typeof ZRaterStopSchema>;

/** Present exactly when the `next` beside it is null: why, and for ALL_LEASED roughly when to try again. */
const stopFields = {
  stop: ZRaterStopSchema.optional(),
  /** ALL_LEASED only: seconds until the earliest of the other raters' leases on remaining work expires. */
  retryAfterSeconds: z.number().int().min(0).optional(),
};

/** The header GET .../assignments/next sets on a 204 (the stop reason), with `Retry-After` for ALL_LEASED. */
export const RATER_STOP_HEADER = 'juxta-stop';

/**
 * The rater's open leases: `assignment` to show now, `next` already leased for the moment it is
 * answered (null when nothing else is left; `stop` says why). Reloading returns the same pair.
 */
export const ZAssignmentQueueSchema = z.object({
  assignment: ZAssignmentSchema,
  next: ZAssignmentSchema.nullable(),
  progress: ZRaterProgressSchema,
  ...stopFields,
});
export type TAssignmentQueue = z.infer<typeof ZAssignmentQueueSchema>;

export const ZNextAssignmentQuerySchema = z.object({
  /** 1 (default): also lease the following comparison, so the client can show it the instant it submits. */
  prefetch: z.enum(['0', '1']).default('1'),
});

/** A judgment as the rater made it (left/right as they saw them). */
export const ZJudgmentSchema = z.object({
  assignmentId: z.uuid(),
  /** A pair's answer; a ranking task's judgment carries `ranking` (cards as shown) and `allBad` instead. */
  choice: ZRaterChoiceSchema.optional(),
  ranking: ZCardRankingSchema.optional(),
  allBad: z.boolean().optional(),
  strength: z.number().int().nullable(),
  criteria: z.record(z.string(), ZAnyCriterionAnswerSchema).nullable(),
  rationale: z.string().nullable(),
  timeMs: z.number().int(),
  createdAt: z.iso.datetime(),
  /** Until when POST /api/assignments/:id/undo may take it back (while it is the rater's last). */
  undoableUntil: z.iso.datetime(),
});
export type TJudgment = z.infer<typeof ZJudgmentSchema>;

/** `next` is the queue after this judgment (null: nothing left for this rater; `stop` says why). */
export const ZSubmitJudgmentResponseSchema = z.object({
  judgment: ZJudgmentSchema,
  next: ZAssignmentQueueSchema.nullable(),
  ...stopFields,
});
export type TSubmitJudgmentResponse = z.infer<typeof ZSubmitJudgmentResponseSchema>;

export const ZFlagRequestSchema = z.object({
  reason: z.enum(['harmful', 'broken', 'wrong_language', 'other']),
  target: z.enum(['left', 'right', 'both']),
  note: z.string().trim().max(2000).optional(),
});
export type TFlagRequest = z.infer<typeof ZFlagRequestSchema>;

/** Reply to skip and flag: the queue after the lease was released (null: nothing left; `stop` says why). */
export const ZReleaseResponseSchema = z.object({ next: ZAssignmentQueueSchema.nullable(), ...stopFields });
export type TReleaseResponse = z.infer<typeof ZReleaseResponseSchema>;

/** Reply to undo: the assignment leased again to this rater, and the answer that was taken back (to prefill the form). */
export const ZUndoResponseSchema = z.object({
  assignment: ZAssignmentSchema,
  undone: ZJudgmentSchema,
});
export type TUndoResponse = z.infer<typeof ZUndoResponseSchema>;

export const ZAssignmentParamsSchema = z.object({ id: z.uuid() });
export const ZCampaignParamsSchema = z.object({ id: z.uuid() });
