// Export endpoints' shared shapes: path params, the query string's wire schema (what each option accepts,
// which options apply to which format), the row count reply and the header that echoes asOf. The admin UI
// builds its query from these; server/domain/export/options.ts resolves a parsed query (defaults filled in).
import { z } from 'zod';

export const EXPORT_FORMATS = ['raw', 'trl', 'trl-conversational', 'kto', 'kto-conversational', 'hh-rlhf', 'openai-dpo', 'ranking'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
/** Formats with one aggregated outcome per comparison, or per pair of a ranking task (every format but raw and ranking). */
export type PairFormat = Exclude<ExportFormat, 'raw' | 'ranking'>;

/**
 * Which pairs of a ranking task a pair format writes: all C(K,2), the best (top group of the aggregated ranking)
 * against each other response, or each response against those of the next group.
 */
export const RANKING_PAIRS = ['all', 'best-vs-each', 'adjacent'] as const;
/** The aggregation options the ranking format takes (its rule, juxta-rank-1, has no others). */
const RANKING_AGGREGATION_KEYS = ['minJudgments', 'criterion'] as const;

/** The formats that take a prompt style (plain, explicit or implicit) and TRL's margin field. */
export const PROMPT_STYLE_FORMATS: readonly ExportFormat[] = ['trl', 'trl-conversational'];
export const PROMPT_STYLES = ['plain', 'explicit', 'implicit'] as const;
export type PromptStyle = (typeof PROMPT_STYLES)[number];
/**
 * Each format's default prompt style: trl writes the prompt's plain text (TRL's own examples);
 * trl-conversational keeps its message list. `explicit` (the HH transcript) keeps its bytes when asked for.
 */
export const DEFAULT_PROMPT_STYLE: Partial<Record<ExportFormat, PromptStyle>> = { trl: 'plain', 'trl-conversational': 'explicit' };
/** The only formats that can express a tie or "both bad" (unpaired lines); the others refuse keeping them. */
export const TIE_KEEPING_FORMATS: readonly PairFormat[] = ['kto', 'kto-conversational'];

/** Defaults of the options a query may leave out (the canonical URL spells them out). */
export const EXPORT_DEFAULTS = {
  testShare: 0.1,
  aggregation: 'majority',
  /** Without minJudgments, a pair format asks for the campaign's k: no silent single-rater pairs. */
  minJudgments: 'k',
  minAgreement: 0,
  ties: 'drop',
  bothBad: 'drop',
} as const;

export const ZExportParamsSchema = z.object({ id: z.uuid('campaign id must be a UUID') });

/** Why a pair format leaves a comparison out (the aggregation rule's reasons). */
export const DROP_REASONS = ['too-few-judgments', 'split-vote', 'tie', 'both-bad', 'low-agreement'] as const;

export const ZExportCountResponseSchema = z.object({
  rows: z.number().int().nonnegative(),
  /** The effective asOf (the request's, or now): pass it back to download exactly these rows. */
  asOf: z.iso.datetime(),
  /** Comparisons with judgments that a pair format leaves out, by reason (empty for raw). */
  dropped: z.partialRecord(z.enum(DROP_REASONS), z.number().int().positive()),
  /** The minimum judgments per comparison applied (the request's, or the campaign's k); null for raw. */
  minJudgments: z.number().int().nullable(),
  /** The first lines of the file, exactly as the download writes them (up to 3). */
  preview: z.array(z.record(z.string(), z.unknown())),
});
export type TExportCountResponse = z.infer<typeof ZExportCountResponseSchema>;

/** Response header carrying the effective asOf of an export, its count and its card. */
export const EXPORT_AS_OF_HEADER = 'x-juxta-as-of';

/** Joins the two models of a pair in `pairs`. */
export const PAIR_SEPARATOR = '~';
const AGGREGATION_KEYS = ['aggregation', 'minJudgments', 'minAgreement', 'ties', 'bothBad', 'criterion', 'adjudication'] as const;

const timestamp = (name: string) =>
  z.iso
    .datetime({ offset: true, error: `${name} must be an ISO 8601 timestamp, e.g. 2025-01-31T12:00:00Z` })
    .transform((text) => new Date(text));

const flag = (name: string) => z.stringbool({ error: `${name} must be true or false` });

function sortedUnique(values: Iterable<string>): string[] {
  return [...new Set(values)].sort();
}

const ZCommaListSchema = z.string().transform((text) =>
  sortedUnique(
    text
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== ''),
  ),
);

const ZModelPairsSchema = ZCommaListSchema.pipe(
  z
    .array(
      z
        .string()
        .regex(/^[^~]+~[^~]+$/, `each pair must be two model names joined by ${PAIR_SEPARATOR}, e.g. gpt-4o~llama-3-70b`),
    )
    .transform((items) => {
      const pairs = items.map((item) => item.split(PAIR_SEPARATOR).sort() as [string, string]);
      const unique = new Map(pairs.map((pair) => [pair.join(PAIR_SEPARATOR), pair]));
      return [...unique.keys()].sort().map((key) => unique.get(key)!);
    }),
);

const keepOrDrop = (name: string) => z.enum(['keep', 'drop'], { error: `${name} must be keep or drop` });

/** The raw query: every field optional, so the refinements can tell what the caller actually asked for. */
const ZExportQueryFieldsSchema = z.strictObject(
  {
    format: z.enum(EXPORT_FORMATS, { error: `format must be one of ${EXPORT_FORMATS.join(', ')}` }),
    prompt: z.enum(PROMPT_STYLES, { error: 'prompt must be plain, explicit or implicit' }).optional(),
    asOf: timestamp('asOf').optional(),
    from: timestamp('from').optional(),
    to: timestamp('to').optional(),
    excludeRaters: ZCommaListSchema.optional(),
    excludeGold: flag('excludeGold').optional(),
    onlyComplete: flag('onlyComplete').optional(),
    models: ZCommaListSchema.optional(),
    pairs: ZModelPairsSchema.optional(),
    guidelineVersion: z.string().min(1, 'guidelineVersion must not be empty').optional(),
    split: z.enum(['train', 'test', 'all'], { error: 'split must be train, test or all' }).optional(),
    testShare: z.coerce
      .number({ error: 'testShare must be a number' })
      .gt(0, 'testShare must be between 0 and 1 (exclusive)')
      .lt(1, 'testShare must be between 0 and 1 (exclusive)')
      .optional(),
    aggregation: z
      .enum(['majority', 'strength-weighted'], { error: 'aggregation must be majority or strength-weighted' })
      .optional(),
    minJudgments: z.coerce
      .number({ error: 'minJudgments must be a number' })
      .int('minJudgments must be a whole number')
      .min(1, 'minJudgments must be at least 1')
      .optional(),
    minAgreement: z.coerce
      .number({ error: 'minAgreement must be a number' })
      .min(0, 'minAgreement is a share between 0 and 1')
      .max(1, 'minAgreement is a share between 0 and 1')
      .optional(),
    ties: keepOrDrop('ties').optional(),
    bothBad: keepOrDrop('bothBad').optional(),
    criterion: z.string().min(1, 'criterion must not be empty (leave it out for the overall answer)').optional(),
    adjudication: z.enum(['ignore', 'prefer'], { error: 'adjudication must be ignore or prefer (use the adjudicated answer instead of the majority)' }).optional(),
    margin: flag('margin').optional(),
    rankingPairs: z.enum(RANKING_PAIRS, { error: `rankingPairs must be one of ${RANKING_PAIRS.join(', ')}` }).optional(),
  },
  { error: (issue) => (issue.code === 'unrecognized_keys' ? `unknown export option: ${issue.keys.join(', ')}` : undefined) },
);

export type TExportQueryFields = z.output<typeof ZExportQueryFieldsSchema>;

function refuse(ctx: z.RefinementCtx, path: string, message: string): void {
  ctx.addIssue({ code: 'custom', path: [path], message });
}

/** Options that do not apply to the chosen format are refused rather than silently ignored. */
function checkApplies(query: TExportQueryFields, ctx: z.RefinementCtx): void {
  const { format } = query;
  if (query.prompt !== undefined && !PROMPT_STYLE_FORMATS.includes(format)) {
    refuse(ctx, 'prompt', `prompt applies to trl and trl-conversational only; ${format} has a fixed prompt shape`);
  }
  if (query.prompt === 'plain' && format !== 'trl') {
    refuse(ctx, 'prompt', 'prompt=plain applies to trl only; trl-conversational writes messages (explicit or implicit)');
  }
  if (query.margin === true && !PROMPT_STYLE_FORMATS.includes(format)) {
    refuse(ctx, 'margin', `margin applies to trl and trl-conversational only, not ${format}`);
  }
  if (format === 'raw') {
    for (const key of AGGREGATION_KEYS.filter((name) => query[name] !== undefined)) {
      refuse(ctx, key, `${key} does not apply to raw, which writes every judgment without aggregating`);
    }
  }
  if (query.rankingPairs !== undefined && (format === 'raw' || format === 'ranking' || TIE_KEEPING_FORMATS.includes(format))) {
    refuse(ctx, 'rankingPairs', `rankingPairs applies to the pair formats trl, trl-conversational, hh-rlhf and openai-dpo, not ${format}`);
  }
  if (format === 'ranking') {
    for (const key of AGGREGATION_KEYS.filter((name) => query[name] !== undefined && !(RANKING_AGGREGATION_KEYS as readonly string[]).includes(name))) {
      refuse(ctx, key, `${key} does not apply to ranking, which aggregates by rule juxta-rank-1 (Borda count; it takes minJudgments and criterion)`);
    }
  }
  if (format === 'raw' || format === 'ranking') return;
  for (const key of ['ties', 'bothBad'] as const) {
    if (query[key] === 'keep' && !TIE_KEEPING_FORMATS.includes(format)) {
      refuse(ctx, key, `${format} lines say which response is better, so ${key}=keep cannot be expressed; use kto`);
    }
  }
  if (query.from && query.to && query.from >= query.to) refuse(ctx, 'to', 'to must be later than from');
}

/**
 * GET /api/campaigns/:id/export's query string as sent (string values): every option optional, and an
 * option that does not apply to the chosen format refused rather than silently ignored.
 */
export const ZExportQuerySchema = ZExportQueryFieldsSchema.superRefine(checkApplies);
