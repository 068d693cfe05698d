// Campaigns: settings, status, counts and the admin requests; the task design lives in task-design.ts.
import { z } from 'zod';
import { ZTaskDesignSchema } from './task-design';

export * from './task-design';

/** Smallest and largest number of responses a ranking task shows at once. */
export const RANKING_SIZE = { min: 3, max: 9 } as const;

/**
 * What one task shows: two responses side by side (`pairwise`), or up to `size` responses to rank at once.
 * A prompt with more responses than `size` is split into several ranking tasks (server/domain/ranking-split.ts);
 * a prompt with two is a pair either way. Fixed once a file was imported (DESIGN_LOCKED). It lives here, not in
 * task-design.ts: raters tell a ranking task by its `responses`, and the first paint stays within its budget.
 */
export const ZTaskTypeSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('pairwise') }),
  z.strictObject({ type: z.literal('ranking'), size: z.number().int().min(RANKING_SIZE.min).max(RANKING_SIZE.max) }),
]);
export type TTaskType = z.infer<typeof ZTaskTypeSchema>;

/** A campaign's design as admins set it: the rater's task design and the task type. */
export const ZCampaignDesignSchema = ZTaskDesignSchema.safeExtend({ task: ZTaskTypeSchema.default({ type: 'pairwise' }) });
export type TCampaignDesign = z.infer<typeof ZCampaignDesignSchema>;

export const ZPairingSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('all') }),
  z.object({ kind: z.literal('sample'), perPrompt: z.number().int().min(1).max(1000) }),
  z.object({ kind: z.literal('reference'), model: z.string().min(1) }),
]);
export type TPairing = z.infer<typeof ZPairingSchema>;

/**
 * How the claim picks among the comparisons a rater may still take: `uniform` in the order they were
 * imported (blind to outcomes), `active` by how much a judgment of the comparison's model pair is expected to
 * narrow the leaderboard (README "Active pair selection"), except a `controlShare` of claims kept uniform.
 */
export const ZSelectionSchema = z.enum(['uniform', 'active']);
export type TSelection = z.infer<typeof ZSelectionSchema>;

/** How one assignment was picked: uniform (id order), control (an active campaign's uniform draw) or active (by priority). */
export const ZSelectionArmSchema = z.enum(['uniform', 'control', 'active']);
export type TSelectionArm = z.infer<typeof ZSelectionArmSchema>;

export const DEFAULT_CONTROL_SHARE = 0.2;

export const ZCampaignStatusSchema = z.enum(['DRAFT', 'ACTIVE', 'PAUSED', 'ARCHIVED']);
export type TCampaignStatus = z.infer<typeof ZCampaignStatusSchema>;

/** The lifecycle: Draft -> Active -> Paused <-> Active; any -> Archived; an archived campaign reopens as Paused. */
export const STATUS_CHANGES: Readonly<Record<TCampaignStatus, readonly TCampaignStatus[]>> = {
  DRAFT: ['ACTIVE', 'ARCHIVED'],
  ACTIVE: ['PAUSED', 'ARCHIVED'],
  PAUSED: ['ACTIVE', 'ARCHIVED'],
  ARCHIVED: ['PAUSED'],
};

/** Statuses a campaign may be deleted in: nobody rates a draft or an archived campaign. */
export const DELETABLE_STATUSES: readonly TCampaignStatus[] = ['DRAFT', 'ARCHIVED'];

const ZShareSchema = z.number().min(0).max(1);

/**
 * When the rater table marks a rater for review (each check applies once the rater has
 * `minimumJudgments` judgments; the gold check once they answered `minimumGold` gold comparisons).
 * Changing them changes no judgment, only the marks.
 */
export const ZReviewThresholdsSchema = z.object({
  /** Judgments before any check applies. */
  minimumJudgments: z.number().int().min(1).max(1_000_000),
  /** Agreement with the plurality of the other raters below this (with three choices chance is about 1/3). */
  minAgreement: ZShareSchema,
  /** Gold comparisons answered before gold accuracy is judged. */
  minimumGold: z.number().int().min(1).max(1_000_000),
  /** Gold accuracy below this. */
  minGoldAccuracy: ZShareSchema,
  /** A left-side share whose two-sided binomial p-value is below this (a side habit, not chance). */
  maxSideBiasPValue: z.number().gt(0, 'must be above 0').max(1),
  /** Share of A/B choices for the longer response above this. */
  maxLongerShare: ZShareSchema,
  /** Share of judgments faster than the reading floor above this. */
  maxFastShare: ZShareSchema,
  /** Flags per judgment above this. */
  maxFlagShare: ZShareSchema,
  /** The reading floor of a comparison: floorBaseMs + floorPerCharMs x (characters of both responses). */
  floorBaseMs: z.number().int().min(0).max(600_000),
  floorPerCharMs: z.number().min(0).max(1000),
});
export type TReviewThresholds = z.infer<typeof ZReviewThresholdsSchema>;

export const DEFAULT_REVIEW_THRESHOLDS: Readonly<TReviewThresholds> = Object.freeze({
  minimumJudgments: 20,
  minAgreement: 0.5,
  minimumGold: 5,
  minGoldAccuracy: 0.7,
  maxSideBiasPValue: 0.001,
  maxLongerShare: 0.85,
  maxFastShare: 0.25,
  maxFlagShare: 0.2,
  floorBaseMs: 2000,
  floorPerCharMs: 5,
});

/** A campaign's settings, each required; create fills the defaults, update takes any subset. */
const campaignSettings = {
  name: z.string().trim().min(1, 'name the campaign').max(200),
  instructions: z.string().max(100_000),
  contentWarning: z.string().max(10_000).nullable(),
  /**
   * The content-warning question was answered: a warning, or none needed (null). Going Active requires it.
   * Left out, giving `contentWarning` (a text or null) answers it.
   */
  contentWarningReviewed: z.boolean(),
  design: ZCampaignDesignSchema,
  votesPerComparison: z.number().int().min(1).max(100),
  pairing: ZPairingSchema,
  goldRate: z.number().min(0).max(0.5),
  maxJudgmentsPerRater: z.number().int().min(1).nullable(),
  leaseSeconds: z.number().int().min(10).max(86_400),
  status: ZCampaignStatusSchema,
  /** Every threshold; to go back to the defaults, send DEFAULT_REVIEW_THRESHOLDS. */
  reviewThresholds: ZReviewThresholdsSchema,
  selection: ZSelectionSchema,
  /** With active selection: the share of claims kept uniform, so the gain can be measured and an unbiased leaderboard computed. */
  controlShare: z.number().min(0).max(1),
  /** Stopping rule: Elo points the 95% interval of an adjacent pair's rating difference must clear for the pair to be settled. */
  settleMargin: z.number().min(0).max(1000),
  /** Stopping rule: counted judgments after which the campaign counts as answered anyway (null: no budget). */
  judgmentBudget: z.number().int().min(1).nullable(),
  /** Pause the campaign by itself once it is answered (every adjacent pair settled, or the budget spent). */
  pauseWhenAnswered: z.boolean(),
};

export const ZCreateCampaignRequestSchema = z.object({
  ...campaignSettings,
  instructions: campaignSettings.instructions.default(''),
  contentWarning: campaignSettings.contentWarning.default(null),
  design: campaignSettings.design.default({
    task: { type: 'pairwise' },
    scale: { allowTie: true, allowBothBad: false, strengthLevels: [] },
    criteria: [],
    rationale: { mode: 'off', minLength: 0 },
  }),
  votesPerComparison: campaignSettings.votesPerComparison.default(3),
  pairing: campaignSettings.pairing.default({ kind: 'all' }),
  goldRate: campaignSettings.goldRate.default(0),
  maxJudgmentsPerRater: campaignSettings.maxJudgmentsPerRater.default(null),
  leaseSeconds: campaignSettings.leaseSeconds.default(600),
  /** New campaigns start as drafts: raters cannot claim until it goes ACTIVE (PATCH {status: "ACTIVE"}). */
  status: campaignSettings.status.default('DRAFT'),
  contentWarningReviewed: campaignSettings.contentWarningReviewed.optional(),
  reviewThresholds: campaignSettings.reviewThresholds.default({ ...DEFAULT_REVIEW_THRESHOLDS }),
  selection: campaignSettings.selection.default('uniform'),
  controlShare: campaignSettings.controlShare.default(DEFAULT_CONTROL_SHARE),
  settleMargin: campaignSettings.settleMargin.default(0),
  judgmentBudget: campaignSettings.judgmentBudget.default(null),
  pauseWhenAnswered: campaignSettings.pauseWhenAnswered.default(false),
});
export type TCreateCampaignRequest = z.input<typeof ZCreateCampaignRequestSchema>;

/**
 * Only the fields given change (no defaults here). Status changes follow Draft -> Active <-> Paused,
 * any -> Archived, Archived -> Paused; going Active needs comparisons and an answered content warning. Changing instructions, content warning or design
 * after judgments were made under the current guideline starts a new guideline version; changing
 * votesPerComparison re-targets the campaign's non-gold comparisons; pairing applies to later imports.
 */
export const ZUpdateCampaignRequestSchema = z
  .object(campaignSettings)
  .partial()
  .refine((u) => Object.keys(u).length > 0, { message: 'give at least one field to change' });
export type TUpdateCampaignRequest = z.infer<typeof ZUpdateCampaignRequestSchema>;

export const ZCampaignIdParamsSchema = z.object({ id: z.uuid('not a campaign id') });

export const ZCampaignListQuerySchema = z.object({
  /** true: archived campaigns too (the list leaves them out by default). */
  archived: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
});
export type TCampaignListQuery = z.input<typeof ZCampaignListQuerySchema>;

/** Rows of published imports only: `comparisons` leaves out gold, `judgments` leaves out undone ones. */
export const ZCampaignCountsSchema = z.object({
  prompts: z.number().int(),
  /** Prompts with no response yet: a generation job can answer them. */
  awaitingResponses: z.number().int(),
  responses: z.number().int(),
  models: z.number().int(),
  comparisons: z.number().int(),
  gold: z.number().int(),
  /** Comparisons that carry a label from the file (AlpacaEval's preference, Arena's winner, HH's chosen): never a judgment. */
  referenceLabels: z.number().int(),
  /** Of `comparisons`, the ranking tasks (3 to K responses at once); the rest are pairs. */
  rankingTasks: z.number().int(),
  judgments: z.number().int(),
});

export const ZCampaignSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  status: ZCampaignStatusSchema,
  instructions: z.string(),
  contentWarning: z.string().nullable(),
  contentWarningReviewed: z.boolean(),
  guidelineVersion: z.number().int(),
  design: ZCampaignDesignSchema,
  votesPerComparison: z.number().int(),
  pairing: ZPairingSchema,
  goldRate: z.number(),
  maxJudgmentsPerRater: z.number().int().nullable(),
  leaseSeconds: z.number().int(),
  reviewThresholds: ZReviewThresholdsSchema,
  selection: ZSelectionSchema,
  controlShare: z.number(),
  settleMargin: z.number(),
  judgmentBudget: z.number().int().nullable(),
  pauseWhenAnswered: z.boolean(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  counts: ZCampaignCountsSchema,
});
export type TCampaign = z.infer<typeof ZCampaignSchema>;

export const ZCampaignListResponseSchema = z.object({ campaigns: z.array(ZCampaignSchema) });
export type TCampaignListResponse = z.infer<typeof ZCampaignListResponseSchema>;

/** The updated campaign, and what the change did beyond the fields themselves (new guideline version, re-targeted comparisons). */
export const ZUpdateCampaignResponseSchema = ZCampaignSchema.extend({ notes: z.array(z.string()) });
export type TUpdateCampaignResponse = z.infer<typeof ZUpdateCampaignResponseSchema>;
