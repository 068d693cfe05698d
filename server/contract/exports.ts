// Export endpoints' shared shapes: path params, the row count reply, the header that echoes asOf, and the
// vocabulary of the query string (formats, which options apply to which, defaults) that the admin UI builds.
// The query string itself is parsed by ZExportQuery in server/domain/export/options.ts, from these.
import { z } from 'zod';

export const EXPORT_FORMATS = ['raw', 'trl', 'trl-conversational', 'kto', 'kto-conversational', 'hh-rlhf', 'openai-dpo'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
/** Formats with one aggregated outcome per comparison (every format but raw). */
export type PairFormat = Exclude<ExportFormat, 'raw'>;

/** The formats that take a prompt style (explicit or implicit) and TRL's margin field. */
export const PROMPT_STYLE_FORMATS: readonly ExportFormat[] = ['trl', 'trl-conversational'];
/** The only formats that can express a tie or "both bad" (unpaired lines); the others refuse keeping them. */
export const TIE_KEEPING_FORMATS: readonly PairFormat[] = ['kto', 'kto-conversational'];

/** Defaults of the options a query may leave out (the canonical URL spells them out). */
export const EXPORT_DEFAULTS = {
  prompt: 'explicit',
  testShare: 0.1,
  aggregation: 'majority',
  minJudgments: 1,
  minAgreement: 0,
  ties: 'drop',
  bothBad: 'drop',
} as const;

export const ZExportParamsSchema = z.object({ id: z.uuid('campaign id must be a UUID') });

export const ZExportCountResponseSchema = z.object({
  rows: z.number().int().nonnegative(),
  /** The effective asOf (the request's, or now): pass it back to download exactly these rows. */
  asOf: z.iso.datetime(),
});
export type TExportCountResponse = z.infer<typeof ZExportCountResponseSchema>;

/** Response header carrying the effective asOf of an export, its count and its card. */
export const EXPORT_AS_OF_HEADER = 'x-juxta-as-of';
