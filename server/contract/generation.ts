// Generation jobs (admin): a campaign's prompts x endpoints x samples, and their progress.
import { z } from 'zod';
import { ZPairingSchema } from './campaign';
import { ZGenerationParamsSchema } from './model-endpoints';

export const GENERATION_JOB_STATUSES = ['QUEUED', 'RUNNING', 'PAUSED', 'CANCELLED', 'DONE'] as const;

export const ZCreateGenerationJobRequestSchema = z.strictObject({
  endpointIds: z.array(z.uuid('not a model endpoint id')).min(1, 'choose at least one endpoint').max(100),
  samples: z.number().int().min(1).max(64).default(1),
  /** Overrides every endpoint's default parameters for this job. */
  params: ZGenerationParamsSchema.default({}),
  /** Default: the campaign's prompts that have no response yet. */
  promptIds: z.array(z.number().int().positive()).min(1).max(1_000_000).optional(),
  /** As the import's option: an empty output is skipped (counted) or kept as a response. */
  emptyResponses: z.enum(['skip', 'keep']).default('skip'),
  /** Outputs cut by max tokens (finish_reason length) are kept and marked, or excluded (counted). */
  truncated: z.enum(['keep', 'exclude']).default('keep'),
});
export type TCreateGenerationJobRequest = z.input<typeof ZCreateGenerationJobRequestSchema>;

export const ZCreateGenerationJobQuerySchema = z.object({
  /** Checks the job as its creation would, stores nothing, and answers 200 with what it would make (a plan). */
  dryRun: z.enum(['true', 'false']).default('false').transform((value) => value === 'true'),
});

/**
 * Tasks per prompt above which a job is called large (the Generate tab warns before it starts): all pairs of
 * eleven or more responses (55 comparisons and up, each judged k times). Ten responses (45 pairs) are a usual
 * round; past that a sampled pairing rule or a ranking design usually serves better.
 */
export const LARGE_TASKS_PER_PROMPT = 50;

const ZRangeSchema = z.object({ min: z.number().int(), max: z.number().int() });

/** What a job would make, by the rules its publication applies (the campaign's task type and pairing rule). */
export const ZGenerationJobPlanSchema = z.object({
  dryRun: z.literal(true),
  prompts: z.number().int(),
  /** Requests: prompts x endpoints x samples. */
  requests: z.number().int(),
  /** This job's responses per prompt (endpoints x samples). */
  newResponsesPerPrompt: z.number().int(),
  /** A prompt's responses once the job is done: those it has or open jobs will add, and this job's. */
  responsesPerPrompt: ZRangeSchema,
  /** What the campaign's raters judge: pairs, or ranking tasks (K responses at a time). */
  taskType: z.enum(['pairwise', 'ranking']),
  pairing: ZPairingSchema,
  /** Comparisons or ranking tasks a prompt gets; at most, as pairs of identical texts are left out. */
  tasksPerPrompt: ZRangeSchema,
  /** All the job's new comparisons or ranking tasks (at most). */
  tasks: z.number().int(),
  /** k: independent judgments each task asks for. */
  votesPerComparison: z.number().int(),
  /** More than LARGE_TASKS_PER_PROMPT tasks for some prompt. */
  large: z.boolean(),
  largeAbove: z.number().int(),
});
export type TGenerationJobPlan = z.infer<typeof ZGenerationJobPlanSchema>;

export const ZGenerationJobIdParamsSchema = z.object({ id: z.uuid('not a generation job id') });

export const ZGenerationFailureSchema = z.object({
  itemId: z.string(),
  promptId: z.number().int(),
  /** The prompt's id in the file it came from (null when the file gave none). */
  promptExternalId: z.string().nullable(),
  endpoint: z.string(),
  sample: z.number().int(),
  attempts: z.number().int(),
  message: z.string(),
});

export const ZGenerationJobSchema = z.object({
  id: z.uuid(),
  campaignId: z.uuid(),
  status: z.enum(GENERATION_JOB_STATUSES),
  samples: z.number().int(),
  endpoints: z.array(z.object({ id: z.uuid(), name: z.string(), model: z.string() })),
  params: ZGenerationParamsSchema,
  total: z.number().int(),
  done: z.number().int(),
  failed: z.number().int(),
  /** Requests under way now. */
  running: z.number().int(),
  /** Finished items that gave no response: empty outputs (skipped) and truncated ones (excluded). */
  skipped: z.object({ empty: z.number().int(), truncated: z.number().int() }),
  /** Responses marked truncated (finish_reason length) and kept. */
  truncatedKept: z.number().int(),
  tokensIn: z.number().int(),
  tokensOut: z.number().int(),
  /** Prompts whose responses are published (visible to raters). */
  promptsPublished: z.number().int(),
  prompts: z.number().int(),
  /** Items finished per second over the last minute. */
  rate: z.number(),
  /** Seconds left at that rate; null when nothing is moving. */
  eta: z.number().nullable(),
  failures: z.array(ZGenerationFailureSchema),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
});
export type TGenerationJob = z.infer<typeof ZGenerationJobSchema>;

export const ZGenerationJobListSchema = z.object({ jobs: z.array(ZGenerationJobSchema) });
export const ZCreatedGenerationJobSchema = z.object({ id: z.uuid() });
