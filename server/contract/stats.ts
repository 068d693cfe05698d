// The admin dashboard's figures (progress, agreement, leaderboard, win rates, rater quality) and rater exclusion.
import { z } from 'zod';
import { ZReviewThresholdsSchema } from './campaign';

export const ZStatsQuerySchema = z.object({
  /** A criterion of the campaign's design: its answers replace the overall choice everywhere. */
  criterion: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, 'give the name of one of the campaign criteria').optional(),
  /** "Both bad" counts as a tie in the leaderboard (default) or is left out of it. */
  bothBad: z.enum(['tie', 'drop']).default('tie'),
  /** Bootstrap rounds for every interval (0 leaves intervals out). */
  rounds: z.coerce.number().int().min(0).max(10_000).default(1000),
  /** Bootstrap seed: the same seed and data give the same intervals. */
  seed: z.coerce.number().int().min(0).max(2 ** 31 - 1).default(1),
  /**
   * Which judgments the leaderboard (and the stopping rule) rests on: all, or only those of assignments not picked by
   * active selection (uniform and control arms), which are blind to earlier outcomes: an unbiased estimate.
   */
  arm: z.enum(['all', 'uniform']).default('all'),
});
export type TStatsQuery = z.infer<typeof ZStatsQuerySchema>;

const ZIntervalSchema = z.tuple([z.number(), z.number()]).nullable();

/** A statistic, its 95% bootstrap interval (resampling comparisons), and the comparisons it rests on. */
export const ZEstimateSchema = z.object({
  value: z.number().nullable(),
  ci: ZIntervalSchema,
  units: z.number().int(),
  /**
   * Bootstrap rounds behind the interval: fewer than asked where a round left the statistic undefined, or
   * for the pairwise Cohen mean when its draw cap (20,000,000 unit draws) cut the rounds (at least 20 run).
   */
  rounds: z.number().int(),
});
export type TEstimate = z.infer<typeof ZEstimateSchema>;

export const ZProgressSchema = z.object({
  /** Comparisons to judge (gold left out). */
  comparisons: z.number().int(),
  /** Comparisons with k counted judgments. */
  complete: z.number().int(),
  /** Counted judgments (the k earliest of each comparison, from raters not excluded; gold left out). */
  judgments: z.number().int(),
  /** Judgments wanted: the sum of k over the comparisons. */
  target: z.number().int(),
  /** Counted judgments by UTC day of submission (days without any left out). */
  perDay: z.array(z.object({ date: z.iso.date(), judgments: z.number().int() })),
  /**
   * Counted judgments by hour of submission (the hour's start, UTC; hours without any left out), while the
   * first and the last counted judgment lie under 48 hours apart; empty after that (perDay tells the story).
   */
  perHour: z.array(z.object({ hour: z.iso.datetime(), judgments: z.number().int() })),
  /** Counted judgments submitted in the last hour. */
  throughputPerHour: z.number().int(),
  /** Gold judgments counted for gold accuracy. */
  goldJudgments: z.number().int(),
});

export const ZAgreementSchema = z.object({
  /** Judgments and comparisons the agreement figures read (counted, non-gold). */
  judgments: z.number().int(),
  comparisons: z.number().int(),
  /** Krippendorff's alpha on the choice as a nominal label. */
  krippendorffAlpha: ZEstimateSchema,
  /**
   * Why nominal alpha has no value, null when it has one: no comparison has two counted judgments yet, or
   * every judgment on comparisons with two or more gave the same answer (`onlyAnswer`, canonical: A, B,
   * TIE or BOTH_BAD), so that disagreement expected by chance is zero and alpha is 0/0.
   */
  alphaUndefined: z
    .discriminatedUnion('reason', [
      z.object({ reason: z.literal('no-pairable-comparisons') }),
      z.object({ reason: z.literal('one-answer-throughout'), onlyAnswer: z.enum(['A', 'B', 'TIE', 'BOTH_BAD']), judgments: z.number().int() }),
    ])
    .nullable(),
  /** Alpha on the signed strength (+s for A, -s for B, 0 for a tie); present when the scale has strength levels. */
  alphaOrdinal: ZEstimateSchema.optional(),
  alphaInterval: ZEstimateSchema.optional(),
  /** Fleiss' kappa over the comparisons with exactly k judgments. */
  fleissKappa: ZEstimateSchema.extend({ k: z.number().int().nullable() }),
  /** Overlap-weighted mean of Cohen's kappa over rater pairs sharing at least 20 comparisons. */
  cohenKappaMean: ZEstimateSchema.extend({ pairs: z.number().int() }),
  /**
   * The same with quadratic weights on the signed strength (-n < ... < 0 < ... < n), near misses earning
   * partial credit, over judgments with a strength; present when the scale has strength levels.
   */
  cohenWeightedKappaMean: ZEstimateSchema.extend({ pairs: z.number().int() }).optional(),
  /**
   * Agreement of whole rankings (ranking campaigns only; the figures above read their C(K,2) pairs), over
   * counted rankings of non-gold tasks, intervals from a bootstrap over tasks.
   */
  ranking: z
    .object({
      /** Counted rankings, and the tasks with two or more of them (the units of both figures). */
      rankings: z.number().int(),
      tasks: z.number().int(),
      /** Kendall's W with the tie correction per task (1 = the raters ranked alike), averaged over tasks. */
      kendallW: ZEstimateSchema,
      /** Krippendorff's alpha, ordinal, on the mid-rank each rater gave each response. */
      alphaOrdinalRanks: ZEstimateSchema,
    })
    .optional(),
});

export const ZLeaderboardEntrySchema = z.object({
  model: z.string(),
  /** Bradley-Terry rating on the Elo scale (400, base 10; the estimable models average 1000). */
  rating: z.number().nullable(),
  ci: ZIntervalSchema,
  judgments: z.number().int(),
  wins: z.number().int(),
  losses: z.number().int(),
  ties: z.number().int(),
  estimable: z.boolean(),
  reason: z.enum(['no-judgments', 'disconnected', 'won-every-comparison', 'lost-every-comparison', 'no-finite-estimate']).optional(),
});

export const ZWinRatesSchema = z.object({
  /** Row and column order: the leaderboard's. */
  models: z.array(z.string()),
  /** matrix[i][j]: share of judgments between i and j won by i (ties as half); null when they never met. */
  matrix: z.array(z.array(z.number().nullable())),
  /** counts[i][j]: judgments between i and j. */
  counts: z.array(z.array(z.number().int())),
});

export const ZReviewReasonSchema = z.enum(['low-agreement', 'low-gold-accuracy', 'side-bias', 'length-bias', 'too-fast', 'many-flags']);

export const ZRaterStatsSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  /** The rater's name in exports. */
  pseudonym: z.string(),
  /** Standing judgments (not undone), counted or not, gold included. */
  judgments: z.number().int(),
  /** Share agreeing with the plurality of the other raters (comparisons where they tie are left out), and over how many. */
  agreementWithOthers: z.number().nullable(),
  agreementComparisons: z.number().int(),
  goldAccuracy: z.number().nullable(),
  goldJudgments: z.number().int(),
  /** Share of A/B choices for the left side, and the two-sided binomial p-value against 1/2. */
  leftShare: z.number().nullable(),
  leftP: z.number().nullable(),
  /**
   * Rankings only: the mean share of the other cards the card shown first beat (ties as half; 1/2 without
   * position bias), a two-sided test of it taking each ranking as one observation, and the rankings read.
   */
  firstCardShare: z.number().nullable().optional(),
  firstCardP: z.number().nullable().optional(),
  firstCardRankings: z.number().int().optional(),
  /** Rankings only: mean Kendall's tau-b between the rater's rankings of gold tasks and the gold rankings, and how many. */
  goldTau: z.number().nullable().optional(),
  goldRankings: z.number().int().optional(),
  /** Share of A/B choices for the longer response. */
  longerShare: z.number().nullable(),
  medianTimeMs: z.number().nullable(),
  /** Share of judgments faster than a reading floor scaled by the responses' length. */
  fastShare: z.number().nullable(),
  flags: z.number().int(),
  /** Overlap-weighted mean of Cohen's kappa with each rater sharing at least 20 comparisons, and how many such raters. */
  pairKappa: z.number().nullable(),
  pairKappaRaters: z.number().int(),
  excluded: z.boolean(),
  /** Review thresholds crossed; empty when none. */
  review: z.array(ZReviewReasonSchema),
});
export type TRaterStats = z.infer<typeof ZRaterStatsSchema>;

/** Human majority (counted judgments, strictly most chosen answer) against the reference labels of one source. */
export const ZReferenceAgreementSchema = z.object({
  /** alpaca-eval:<annotator>, chatbot-arena, hh-rlhf, native. */
  source: z.string(),
  /** Comparisons carrying a label of this source (gold and removed ones left out). */
  labelled: z.number().int(),
  /** Of those, the ones with a human majority: the units of both figures. */
  compared: z.number().int(),
  /** Share of compared comparisons where the majority is the reference label. */
  agreement: z.number().nullable(),
  /** Cohen's kappa of majority vs reference (categories A, B, TIE, BOTH_BAD) with its bootstrap interval over comparisons. */
  kappa: ZEstimateSchema,
});

export const ZReferenceStatsSchema = z.object({
  sources: z.array(ZReferenceAgreementSchema),
  /** Bradley-Terry over the reference labels (each label one outcome), to set beside the human leaderboard. */
  leaderboard: z.array(ZLeaderboardEntrySchema),
});

/** One pair of models next to each other on the leaderboard, and whether their order is settled. */
export const ZAdjacentPairSchema = z.object({
  upper: z.string(),
  lower: z.string(),
  /** Rating of upper minus rating of lower (Elo points). */
  difference: z.number(),
  /** 95% bootstrap interval of the difference. */
  ci: ZIntervalSchema,
  /** The interval clears the campaign's settle margin. */
  settled: z.boolean(),
  /** Rough judgments still needed to settle it (0: settled; null: not settleable at this estimate). */
  moreJudgments: z.number().int().nullable(),
});

/** The stopping rule: is the question "which model is better?" answered? */
export const ZAnswerSchema = z.object({
  /** The judgments the leaderboard rests on (the `arm` asked for). */
  arm: z.enum(['all', 'uniform']),
  /** Judgments of that arm behind the leaderboard, and counted judgments of the campaign (what the budget counts). */
  judgments: z.number().int(),
  spent: z.number().int(),
  budget: z.number().int().nullable(),
  margin: z.number(),
  /** "settled": every adjacent pair is; "budget": the budget is spent; null: still open. */
  answered: z.enum(['settled', 'budget']).nullable(),
  /** Rough judgments still needed until every adjacent pair is settled (null: cannot tell yet). */
  moreJudgments: z.number().int().nullable(),
  pairs: z.array(ZAdjacentPairSchema),
  /** Models without a rating yet: their place is open. */
  unrated: z.array(z.string()),
  /** Assignments by how they were picked (uniform, control, active). */
  arms: z.object({ uniform: z.number().int(), control: z.number().int(), active: z.number().int() }),
});
export type TAnswer = z.infer<typeof ZAnswerSchema>;

export const ZCampaignStatsSchema = z.object({
  criterion: z.string().nullable(),
  progress: ZProgressSchema,
  agreement: ZAgreementSchema,
  leaderboard: z.array(ZLeaderboardEntrySchema),
  winRates: ZWinRatesSchema,
  /** What the labels that came with the data say, and how the raters' majority compares with them. */
  reference: ZReferenceStatsSchema,
  raters: z.array(ZRaterStatsSchema),
  /** Judgments beyond k of their comparison (after a re-inclusion): kept, but not counted. */
  surplus: z.number().int(),
  /** The campaign's review thresholds the rater table was marked with. */
  reviewThresholds: ZReviewThresholdsSchema,
  /** `unit`: what the leaderboard's bootstrap redraws: judgments, or whole rankings (a ranking's pairs together). */
  bootstrap: z.object({ rounds: z.number().int(), seed: z.number().int(), dropped: z.number().int(), unit: z.enum(['judgment', 'ranking']).optional() }),
  answer: ZAnswerSchema,
});
export type TCampaignStats = z.infer<typeof ZCampaignStatsSchema>;

export const ZRatersResponseSchema = z.object({ raters: z.array(ZRaterStatsSchema) });

const ZRaterRefSchema = z.object({ id: z.uuid(), name: z.string() });

/** Cohen's kappa of two raters over the comparisons both judged (counted, non-gold), on the overall choice. */
export const ZRaterPairSchema = z.object({
  raterA: ZRaterRefSchema,
  raterB: ZRaterRefSchema,
  overlap: z.number().int(),
  /** Null when chance agreement is 1 (both always gave the same answer). */
  kappa: z.number().nullable(),
  /** Quadratic-weighted kappa on the signed strength (over the comparisons both gave one a strength); on a strength scale only. */
  weightedKappa: z.number().nullable().optional(),
});

/** Every pair sharing at least 20 comparisons, the least agreeing first (undefined kappas last). */
export const ZRaterPairsResponseSchema = z.object({ pairs: z.array(ZRaterPairSchema) });

export const ZRaterParamsSchema = z.object({ id: z.uuid('not a campaign id'), userId: z.uuid('not a user id') });

export const ZExclusionRequestSchema = z.object({ reason: z.string().trim().max(2000).optional() }).default({});

export const ZExclusionResponseSchema = z.object({
  raterId: z.uuid(),
  excluded: z.boolean(),
  /** Comparisons whose counted judgments changed (they reopen on exclusion). */
  comparisonsAffected: z.number().int(),
  /** Open leases of the rater closed by the exclusion. */
  leasesClosed: z.number().int(),
});
export type TExclusionResponse = z.infer<typeof ZExclusionResponseSchema>;
