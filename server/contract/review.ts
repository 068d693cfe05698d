// The review screens' API (admin): the comparisons explorer, one comparison with every judgment and flag.
import { z } from 'zod';
import { ZTurnSchema } from './task-design';

/** Canonical choice: A and B are the comparison's stored order (never the sides a rater saw). */
export const ZCanonicalChoiceSchema = z.enum(['A', 'B', 'TIE', 'BOTH_BAD']);
export type TCanonicalChoice = z.infer<typeof ZCanonicalChoiceSchema>;

const flag = (name: string) => z.stringbool({ error: `${name} must be true or false` }).optional();

export const EXPLORER_SORTS = ['activity', 'disputed'] as const;
export const EXPLORER_STATUSES = ['open', 'complete', 'over', 'excluded', 'removed', 'active'] as const;
export const EXPLORER_AGREEMENTS = ['unanimous', 'split', 'tie-heavy'] as const;
export const EXPLORER_REFERENCE_FILTERS = ['present', 'absent', 'agrees', 'disagrees'] as const;

/**
 * GET /api/campaigns/:id/comparisons. Every filter narrows (they combine with AND). "Votes" are the
 * standing judgments of raters not excluded; the majority is the answer with strictly the most votes.
 */
export const ZComparisonListQuerySchema = z.strictObject(
  {
    /** The comparisons of one prompt (its id, as in each item's promptId): the prompt view. */
    promptId: z.coerce
      .number({ error: 'promptId must be a prompt id' })
      .int('promptId must be a prompt id')
      .min(1, 'promptId must be a prompt id')
      .max(2 ** 31 - 1, 'promptId must be a prompt id')
      .optional(),
    /** A model on either side. */
    model: z.string().min(1, 'model must not be empty').max(200).optional(),
    /** Two models joined by ~, in either order: comparisons between exactly these two. */
    pair: z
      .string()
      .regex(/^[^~]+~[^~]+$/, 'pair must be two model names joined by ~, e.g. gpt-4o~llama-3-70b')
      .transform((text) => text.split('~') as [string, string])
      .optional(),
    /**
     * open: fewer counted judgments than k; complete: k or more; over: more than k (after a re-inclusion); excluded: holds
     * a judgment of an excluded rater; removed: taken out of the campaign (directly or by a broken response); active: not removed.
     * Gold is neither open nor complete. Removed comparisons are listed (marked) unless a status says otherwise.
     */
    status: z.enum(EXPLORER_STATUSES, { error: `status must be one of ${EXPLORER_STATUSES.join(', ')}` }).optional(),
    /** unanimous: 2+ votes, all the same; split: 2+ votes and no answer has more than half; tie-heavy: at least half the votes are tie or both bad. */
    agreement: z.enum(EXPLORER_AGREEMENTS, { error: `agreement must be one of ${EXPLORER_AGREEMENTS.join(', ')}` }).optional(),
    flagged: flag('flagged'),
    /** Some standing judgment carries a rationale (or none does, with false). */
    rationale: flag('rationale'),
    /** Judged by this rater (a standing judgment). */
    rater: z.uuid('rater must be a user id').optional(),
    /** Holds a standing judgment made under this guideline version. */
    guidelineVersion: z.coerce.number({ error: 'guidelineVersion must be a number' }).int().min(1).optional(),
    gold: flag('gold'),
    /** present / absent: a reference label came with the file; agrees / disagrees: the human majority matches it or not (comparisons without a majority are neither). */
    reference: z.enum(EXPLORER_REFERENCE_FILTERS, { error: `reference must be one of ${EXPLORER_REFERENCE_FILTERS.join(', ')}` }).optional(),
    /** Words in the prompt (any turn), case-insensitive; a trigram index serves it. */
    q: z.string().trim().min(1, 'q must not be empty').max(200, 'q is at most 200 characters').optional(),
    sort: z.enum(EXPLORER_SORTS, { error: `sort must be one of ${EXPLORER_SORTS.join(', ')}` }).default('activity'),
    limit: z.coerce.number({ error: 'limit must be a number' }).int().min(1, 'limit is 1 to 200').max(200, 'limit is 1 to 200').default(50),
    /** nextCursor of the previous page (with the same filters and sort). */
    cursor: z.string().max(200).optional(),
  },
  { error: (issue) => (issue.code === 'unrecognized_keys' ? `unknown filter: ${issue.keys.join(', ')}` : undefined) },
);
export type TComparisonListQuery = z.infer<typeof ZComparisonListQuerySchema>;

export const ZVotesSchema = z.object({ A: z.number().int(), B: z.number().int(), TIE: z.number().int(), BOTH_BAD: z.number().int() });

export const ZReferenceLabelSchema = z.object({
  choice: ZCanonicalChoiceSchema,
  /** Where the label came from, e.g. alpaca-eval:alpaca_eval_gpt4, chatbot-arena, hh-rlhf, native. */
  source: z.string(),
});

export const ZComparisonSummarySchema = z.object({
  id: z.number().int(),
  promptId: z.number().int(),
  /** The last user turn, cut at 300 characters. */
  prompt: z.string(),
  a: z.object({ responseId: z.number().int(), model: z.string(), broken: z.boolean() }),
  b: z.object({ responseId: z.number().int(), model: z.string(), broken: z.boolean() }),
  isGold: z.boolean(),
  /** Out of the campaign: not served, left out of stats and exports (directly removed, or a response marked broken). */
  removed: z.boolean(),
  /** Removed directly by an admin (a broken response removes without it). */
  removedAt: z.iso.datetime().nullable(),
  /** An admin's answer to this disputed comparison (not gold: its judgments stay regular), or null. */
  adjudicated: ZCanonicalChoiceSchema.nullable(),
  goldChoice: ZCanonicalChoiceSchema.nullable(),
  target: z.number().int(),
  submitted: z.number().int(),
  leased: z.number().int(),
  votes: ZVotesSchema,
  majority: ZCanonicalChoiceSchema.nullable(),
  /** Share (0..1) of the votes not for the most chosen answer. */
  dispute: z.number(),
  flagCount: z.number().int(),
  reference: ZReferenceLabelSchema.nullable(),
  lastActivityAt: z.iso.datetime(),
});
export type TComparisonSummary = z.infer<typeof ZComparisonSummarySchema>;

export const ZComparisonListSchema = z.object({
  items: z.array(ZComparisonSummarySchema),
  /** null on the last page. */
  nextCursor: z.string().nullable(),
});
export type TComparisonList = z.infer<typeof ZComparisonListSchema>;



export const ZJudgmentDetailSchema = z.object({
  id: z.number().int(),
  rater: z.object({ id: z.string(), name: z.string() }),
  /** Which response the rater saw on the left. */
  shownLeft: z.enum(['A', 'B']),
  choice: ZCanonicalChoiceSchema,
  strength: z.number().int().nullable(),
  /** {criterion: {choice, strength}} in canonical terms. */
  criteria: z.record(z.string(), z.object({ choice: ZCanonicalChoiceSchema, strength: z.number().int().nullable() })).nullable(),
  rationale: z.string().nullable(),
  timeMs: z.number().int(),
  guidelineVersion: z.number().int(),
  isGold: z.boolean(),
  createdAt: z.iso.datetime(),
  undoneAt: z.iso.datetime().nullable(),
  /** The rater is excluded from the campaign now: the judgment does not count. */
  excluded: z.boolean(),
});

export const FLAG_REASONS = ['HARMFUL', 'BROKEN', 'WRONG_LANGUAGE', 'OTHER'] as const;

export const ZFlagDetailSchema = z.object({
  id: z.number().int(),
  rater: z.object({ id: z.string(), name: z.string() }),
  reason: z.enum(FLAG_REASONS),
  /** Canonical: response A, B or both. */
  target: z.enum(['A', 'B', 'BOTH']),
  note: z.string().nullable(),
  createdAt: z.iso.datetime(),
  /** When an admin dismissed it (null: open); dismissing keeps the comparison. */
  dismissedAt: z.iso.datetime().nullable(),
});

export const ZResponseViewSchema = z.object({ id: z.number().int(), model: z.string(), content: z.string(), broken: z.boolean() });

export const ZComparisonDetailSchema = ZComparisonSummarySchema.omit({ a: true, b: true }).extend({
  campaignId: z.string(),
  /** The conversation as raters see it (the same turns the rater's assignment carries). */
  context: z.array(ZTurnSchema),
  a: ZResponseViewSchema,
  b: ZResponseViewSchema,
  judgments: z.array(ZJudgmentDetailSchema),
  flags: z.array(ZFlagDetailSchema),
});
export type TComparisonDetail = z.infer<typeof ZComparisonDetailSchema>;

/** GET /api/campaigns/:id/flags: the flag review queue. */
export const FLAG_STATES = ['open', 'dismissed', 'actioned'] as const;
export const ZFlagQueueQuerySchema = z.strictObject(
  {
    reason: z.enum(FLAG_REASONS, { error: `reason must be one of ${FLAG_REASONS.join(', ')}` }).optional(),
    /** open: not dismissed, its comparison still in; dismissed; actioned: its comparison was removed. Default: all. */
    state: z.enum(FLAG_STATES, { error: `state must be one of ${FLAG_STATES.join(', ')}` }).optional(),
    limit: z.coerce.number({ error: 'limit must be a number' }).int().min(1, 'limit is 1 to 200').max(200, 'limit is 1 to 200').default(50),
    cursor: z.string().max(200).optional(),
  },
  { error: (issue) => (issue.code === 'unrecognized_keys' ? `unknown filter: ${issue.keys.join(', ')}` : undefined) },
);
export type TFlagQueueQuery = z.infer<typeof ZFlagQueueQuerySchema>;

export const ZFlagQueueItemSchema = ZFlagDetailSchema.extend({
  comparisonId: z.number().int(),
  prompt: z.string(),
  comparison: z.object({
    removed: z.boolean(),
    removedAt: z.iso.datetime().nullable(),
    a: z.object({ responseId: z.number().int(), model: z.string(), broken: z.boolean() }),
    b: z.object({ responseId: z.number().int(), model: z.string(), broken: z.boolean() }),
  }),
});
export const ZFlagQueueSchema = z.object({ items: z.array(ZFlagQueueItemSchema), nextCursor: z.string().nullable() });
export type TFlagQueue = z.infer<typeof ZFlagQueueSchema>;

export const ZIdParamsSchema = z.object({
  id: z.coerce.number({ error: 'not an id' }).int('not an id').min(1, 'not an id').max(2 ** 31 - 1, 'not an id'),
});

/** Body of every review action: why, for the audit trail. */
export const ZReviewActionBodySchema = z.strictObject({ reason: z.string().trim().max(500, 'reason is at most 500 characters').optional() }).default({});
export type TReviewActionBody = z.infer<typeof ZReviewActionBodySchema>;

export const ZFlagActionResponseSchema = z.object({ flagId: z.number().int(), dismissed: z.boolean(), changed: z.boolean() });
export const ZRemovalResponseSchema = z.object({
  comparisonId: z.number().int(),
  /** Removed directly by an admin. */
  removedDirectly: z.boolean(),
  /** Out of the campaign (removed directly, or a broken response). */
  removed: z.boolean(),
  changed: z.boolean(),
});
export const ZBrokenResponseSchema = z.object({
  responseId: z.number().int(),
  broken: z.boolean(),
  changed: z.boolean(),
  /** Comparisons that went out (or came back in) with this change. */
  comparisonsAffected: z.number().int(),
});

/** POST /api/comparisons/:id/adjudicate: the admin's answer (canonical A/B) and an optional note. */
export const ZAdjudicationBodySchema = z.strictObject({
  choice: ZCanonicalChoiceSchema,
  note: z.string().trim().max(2000, 'note is at most 2000 characters').optional(),
});
export const ZAdjudicationResponseSchema = z.object({ comparisonId: z.number().int(), adjudicated: ZCanonicalChoiceSchema.nullable(), changed: z.boolean() });
