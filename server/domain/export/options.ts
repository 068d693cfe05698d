// The export query string: its zod schema with defaults, and the canonical URL that reproduces an export.

import { z } from 'zod';
import { EXPORT_DEFAULTS, PROMPT_STYLE_FORMATS, TIE_KEEPING_FORMATS } from '../../contract/exports';
import type { AggregationOptions } from './aggregate';
import { DEFAULT_AGGREGATION } from './aggregate';
import type { ExportFormat, PromptStyle } from './types';
import { EXPORT_FORMATS } from './types';

export type SplitChoice = 'train' | 'test' | 'all';

export interface ExportOptions {
  format: ExportFormat;
  /** trl and trl-conversational only; null for the other formats, whose prompt shape is fixed. */
  prompt: PromptStyle | null;
  /** null: the caller fills in now, and the canonical URL records it. */
  asOf: Date | null;
  from: Date | null;
  to: Date | null;
  excludeRaters: string[];
  excludeGold: boolean;
  onlyComplete: boolean;
  /** Keep comparisons whose two models are both in this list (empty: any). */
  models: string[];
  /** Keep comparisons of these unordered model pairs (empty: any); each pair sorted. */
  pairs: [string, string][];
  guidelineVersion: string | null;
  split: SplitChoice;
  testShare: number;
  /** null for raw, which writes every judgment as it is. */
  aggregation: AggregationOptions | null;
  /** Write TRL's margin field (trl and trl-conversational only). */
  margin: boolean;
}

const PAIR_SEPARATOR = '~';
const AGGREGATION_KEYS = ['aggregation', 'minJudgments', 'minAgreement', 'ties', 'bothBad', 'criterion'] as const;

const timestamp = (name: string) =>
  z.iso
    .datetime({ offset: true, error: `${name} must be an ISO 8601 timestamp, e.g. 2025-01-31T12:00:00Z` })
    .transform((text) => new Date(text));

const flag = (name: string) => z.stringbool({ error: `${name} must be true or false` });

function sortedUnique(values: Iterable<string>): string[] {
  return [...new Set(values)].sort();
}

const commaList = z.string().transform((text) =>
  sortedUnique(
    text
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== ''),
  ),
);

const modelPairs = commaList.pipe(
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
const ZExportQueryFields = z.strictObject(
  {
    format: z.enum(EXPORT_FORMATS, { error: `format must be one of ${EXPORT_FORMATS.join(', ')}` }),
    prompt: z.enum(['explicit', 'implicit'], { error: 'prompt must be explicit or implicit' }).optional(),
    asOf: timestamp('asOf').optional(),
    from: timestamp('from').optional(),
    to: timestamp('to').optional(),
    excludeRaters: commaList.optional(),
    excludeGold: flag('excludeGold').optional(),
    onlyComplete: flag('onlyComplete').optional(),
    models: commaList.optional(),
    pairs: modelPairs.optional(),
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
    margin: flag('margin').optional(),
  },
  { error: (issue) => (issue.code === 'unrecognized_keys' ? `unknown export option: ${issue.keys.join(', ')}` : undefined) },
);

type ExportQueryFields = z.output<typeof ZExportQueryFields>;

function refuse(ctx: z.RefinementCtx, path: string, message: string): void {
  ctx.addIssue({ code: 'custom', path: [path], message });
}

/** Options that do not apply to the chosen format are refused rather than silently ignored. */
function checkApplies(query: ExportQueryFields, ctx: z.RefinementCtx): void {
  const { format } = query;
  if (query.prompt !== undefined && !PROMPT_STYLE_FORMATS.includes(format)) {
    refuse(ctx, 'prompt', `prompt applies to trl and trl-conversational only; ${format} has a fixed prompt shape`);
  }
  if (query.margin === true && !PROMPT_STYLE_FORMATS.includes(format)) {
    refuse(ctx, 'margin', `margin applies to trl and trl-conversational only, not ${format}`);
  }
  if (format === 'raw') {
    for (const key of AGGREGATION_KEYS.filter((name) => query[name] !== undefined)) {
      refuse(ctx, key, `${key} does not apply to raw, which writes every judgment without aggregating`);
    }
    return;
  }
  for (const key of ['ties', 'bothBad'] as const) {
    if (query[key] === 'keep' && !TIE_KEEPING_FORMATS.includes(format)) {
      refuse(ctx, key, `${format} lines say which response is better, so ${key}=keep cannot be expressed; use kto`);
    }
  }
  if (query.from && query.to && query.from >= query.to) refuse(ctx, 'to', 'to must be later than from');
}

function resolve(query: ExportQueryFields): ExportOptions {
  const isRaw = query.format === 'raw';
  return {
    format: query.format,
    prompt: PROMPT_STYLE_FORMATS.includes(query.format) ? (query.prompt ?? EXPORT_DEFAULTS.prompt) : null,
    asOf: query.asOf ?? null,
    from: query.from ?? null,
    to: query.to ?? null,
    excludeRaters: query.excludeRaters ?? [],
    // Gold items are known answers planted to check raters, not training data: pair exports leave them out.
    excludeGold: query.excludeGold ?? !isRaw,
    onlyComplete: query.onlyComplete ?? false,
    models: query.models ?? [],
    pairs: query.pairs ?? [],
    guidelineVersion: query.guidelineVersion ?? null,
    split: query.split ?? 'all',
    testShare: query.testShare ?? EXPORT_DEFAULTS.testShare,
    aggregation: isRaw
      ? null
      : {
          method: query.aggregation ?? DEFAULT_AGGREGATION.method,
          minJudgments: query.minJudgments ?? DEFAULT_AGGREGATION.minJudgments,
          minAgreement: query.minAgreement ?? DEFAULT_AGGREGATION.minAgreement,
          ties: query.ties ?? DEFAULT_AGGREGATION.ties,
          bothBad: query.bothBad ?? DEFAULT_AGGREGATION.bothBad,
          criterion: query.criterion ?? DEFAULT_AGGREGATION.criterion,
        },
    margin: query.margin ?? false,
  };
}

/** Parses GET /api/campaigns/:id/export's query string (string values) into resolved options. */
export const ZExportQuery = ZExportQueryFields.superRefine(checkApplies).transform(resolve);
export type TExportQuery = z.input<typeof ZExportQuery>;

/**
 * Every option that applies to the format, defaults included, so that a later change of a default cannot
 * change what an old URL means; keys sorted, lists sorted, asOf always present.
 */
export function canonicalExportQuery(options: ExportOptions, now: Date): URLSearchParams {
  const entries: [string, string][] = [
    ['format', options.format],
    ['asOf', (options.asOf ?? now).toISOString()],
    ['excludeGold', String(options.excludeGold)],
    ['onlyComplete', String(options.onlyComplete)],
    ['split', options.split],
    ['testShare', String(options.testShare)],
  ];
  const optional: [string, string | null][] = [
    ['prompt', options.prompt],
    ['from', options.from?.toISOString() ?? null],
    ['to', options.to?.toISOString() ?? null],
    ['excludeRaters', options.excludeRaters.join(',') || null],
    ['models', options.models.join(',') || null],
    ['pairs', options.pairs.map((pair) => pair.join(PAIR_SEPARATOR)).join(',') || null],
    ['guidelineVersion', options.guidelineVersion],
    ['margin', options.prompt === null ? null : String(options.margin)],
  ];
  const { aggregation } = options;
  if (aggregation) {
    entries.push(
      ['aggregation', aggregation.method],
      ['minJudgments', String(aggregation.minJudgments)],
      ['minAgreement', String(aggregation.minAgreement)],
      ['ties', aggregation.ties],
      ['bothBad', aggregation.bothBad],
    );
    optional.push(['criterion', aggregation.criterion]);
  }
  for (const [key, value] of optional) if (value !== null) entries.push([key, value]);
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return new URLSearchParams(entries);
}

/** The exact URL that gives the same bytes later (asOf filled in with `now` when the request had none). */
export function canonicalExportUrl(publicUrl: string, campaignId: string, options: ExportOptions, now: Date): string {
  const base = publicUrl.replace(/\/+$/, '');
  return `${base}/api/campaigns/${encodeURIComponent(campaignId)}/export?${canonicalExportQuery(options, now)}`;
}
