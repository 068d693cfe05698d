// The export query resolved: the contract's wire schema (ZExportQuerySchema) with every default filled in,
// and the canonical URL that reproduces an export.
import type { z } from 'zod';
import { DEFAULT_PROMPT_STYLE, EXPORT_DEFAULTS, PAIR_SEPARATOR, ZExportQuerySchema, type TExportQueryFields } from '../../contract/exports';
import type { AggregationOptions } from './aggregate';
import { DEFAULT_AGGREGATION } from './aggregate';
import type { RankingPairSelection } from './ranking';
import type { ExportFormat, PromptStyle } from './types';

export type SplitChoice = NonNullable<TExportQueryFields['split']>;

/** The aggregation a request asked for: minJudgments null means the campaign's k (filled in by withCampaignDefaults). */
export interface RequestedAggregation extends Omit<AggregationOptions, 'minJudgments'> {
  minJudgments: number | null;
}

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
  aggregation: RequestedAggregation | null;
  /** Write TRL's margin field (trl and trl-conversational only). */
  margin: boolean;
  /** Which pairs of a ranking task a pair format writes. */
  rankingPairs: RankingPairSelection;
}

/** Options with the campaign's defaults filled in: what an export runs with, and what its canonical URL spells out. */
export interface ResolvedExportOptions extends Omit<ExportOptions, 'aggregation'> {
  aggregation: AggregationOptions | null;
}

/** Fills in what the campaign decides: the minimum judgments per comparison defaults to its k. */
export function withCampaignDefaults(options: ExportOptions, k: number): ResolvedExportOptions {
  const { aggregation } = options;
  return { ...options, aggregation: aggregation && { ...aggregation, minJudgments: aggregation.minJudgments ?? k } };
}

function resolve(query: TExportQueryFields): ExportOptions {
  const isRaw = query.format === 'raw';
  return {
    format: query.format,
    prompt: query.prompt ?? DEFAULT_PROMPT_STYLE[query.format] ?? null,
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
          minJudgments: query.minJudgments ?? null,
          minAgreement: query.minAgreement ?? DEFAULT_AGGREGATION.minAgreement,
          ties: query.ties ?? DEFAULT_AGGREGATION.ties,
          bothBad: query.bothBad ?? DEFAULT_AGGREGATION.bothBad,
          criterion: query.criterion ?? DEFAULT_AGGREGATION.criterion,
          adjudication: query.adjudication ?? DEFAULT_AGGREGATION.adjudication,
        },
    margin: query.margin ?? false,
    rankingPairs: query.rankingPairs ?? 'all',
  };
}

/** Parses GET /api/campaigns/:id/export's query string (string values) into resolved options. */
export const ZExportQuery = ZExportQuerySchema.transform(resolve);
export type TExportQuery = z.input<typeof ZExportQuery>;

/**
 * Every option that applies to the format, defaults included, so that a later change of a default cannot
 * change what an old URL means; keys sorted, lists sorted, asOf always present.
 */
export function canonicalExportQuery(options: ResolvedExportOptions, now: Date): URLSearchParams {
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
  if (aggregation && options.format === 'ranking') {
    // juxta-rank-1 takes no other aggregation option: the others would be refused when the URL is sent back.
    entries.push(['minJudgments', String(aggregation.minJudgments)]);
    optional.push(['criterion', aggregation.criterion]);
  } else if (aggregation) {
    entries.push(
      ['aggregation', aggregation.method],
      ['minJudgments', String(aggregation.minJudgments)],
      ['minAgreement', String(aggregation.minAgreement)],
      ['ties', aggregation.ties],
      ['bothBad', aggregation.bothBad],
    );
    optional.push(['criterion', aggregation.criterion]);
    // Written only when it changes the outcome, so the URLs of exports made before the option stay as they were.
    optional.push(['adjudication', aggregation.adjudication === 'prefer' ? 'prefer' : null]);
  }
  // Written only when not the default, so the URLs of exports made before the option stay as they were.
  optional.push(['rankingPairs', options.rankingPairs === 'all' ? null : options.rankingPairs]);
  for (const [key, value] of optional) if (value !== null) entries.push([key, value]);
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return new URLSearchParams(entries);
}

/** The exact URL that gives the same bytes later (asOf filled in with `now` when the request had none). */
export function canonicalExportUrl(publicUrl: string, campaignId: string, options: ResolvedExportOptions, now: Date): string {
  const base = publicUrl.replace(/\/+$/, '');
  return `${base}/api/campaigns/${encodeURIComponent(campaignId)}/export?${canonicalExportQuery(options, now)}`;
}
