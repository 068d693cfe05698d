// Prompt-set imports: the upload's query, the reply, and the progress the admin UI polls.
import { z } from 'zod';

/** `auto` recognises the format from the content; `answer-files` is a multipart upload (a questions part, an answers part per model). */
export const IMPORT_FORMAT_NAMES = ['auto', 'native', 'csv', 'hh-rlhf', 'chatbot-arena', 'alpaca-eval', 'oasst', 'answer-files'] as const;

export const ZImportQuerySchema = z.object({
  /** A string, not an enum, so that an unknown name is answered with UNKNOWN_FORMAT and the list of formats. */
  format: z.string().default('auto'),
  /** Chosen by the client so that it can poll GET /api/imports/:id while the upload runs. */
  importId: z.uuid('importId must be a UUID').optional(),
  /** Pair formats (HH-RLHF, Arena, AlpacaEval) keep the file's pairs unless `campaign` asks for the campaign's pairing strategy. */
  pairs: z.enum(['file', 'campaign']).default('file'),
  /**
   * A blank response (empty or white space only) skips its record as emptyResponse by default; `keep`
   * compares it like any other answer, since a model that answered nothing is an outcome of a model evaluation.
   */
  emptyResponses: z.enum(['skip', 'keep']).default('skip'),
  /** The uploaded file's name, for the import history (the body itself carries none). */
  fileName: z.string().trim().max(255).optional(),
  /**
   * true: read and check the whole file, store nothing, and answer what it would add (the rows the campaign
   * does not have yet) with a preview; it does not wait for, nor block, another import.
   */
  dryRun: z.enum(['true', 'false']).default('false').transform((value) => value === 'true'),
});
export type TImportQuery = z.infer<typeof ZImportQuerySchema>;

export const ZImportIdParamsSchema = z.object({ id: z.uuid('not an import id') });

/** Why a well-formed record was left out, in words ("16 records with two identical responses"); the code stays in `skipped`. */
export const SKIP_REASON_TEXT: Record<string, string> = {
  emptyResponse: 'an empty response',
  identicalPair: 'two identical responses',
  tooFewResponses: 'only one response',
  duplicateModel: 'two responses of one model where the file names responses by model',
  duplicateResponseId: 'two responses with one id',
  divergentContext: 'chosen and rejected that differ before the last reply',
  unrankedReplies: 'replies of which fewer than two are ranked (OASST)',
};

export const ZSkipReasonSchema = z.object({ reason: z.string(), count: z.number().int(), text: z.string() });
export type TSkipReason = z.infer<typeof ZSkipReasonSchema>;

/** The skip counts in words, largest first: `{reason: "identicalPair", count: 16, text: "16 records with two identical responses"}`. */
export function describeSkips(skipped: Record<string, number>): TSkipReason[] {
  return Object.entries(skipped)
    .filter(([, count]) => count > 0)
    .sort((a, b) => b[1] - a[1])
    .map(([reason, count]) => ({
      reason,
      count,
      text: `${count.toLocaleString('en-US')} ${count === 1 ? 'record' : 'records'} with ${SKIP_REASON_TEXT[reason] ?? reason.replace(/([A-Z])/g, ' $1').toLowerCase()}`,
    }));
}

/** New rows the import added (existing ones are kept: importing the same file again adds nothing). */
export const ZImportResultSchema = z.object({
  importId: z.uuid(),
  /** The format the file was read as: the one recognised when `auto` was asked for. */
  format: z.string(),
  /** The uploaded file's name, when the client gave it (answer files: the questions file and the answer files). */
  fileName: z.string().nullable().default(null),
  records: z.number().int(),
  prompts: z.number().int(),
  responses: z.number().int(),
  /** Non-gold comparisons. */
  comparisons: z.number().int(),
  gold: z.number().int(),
  /** Well-formed records left out, by reason (emptyResponse, identicalPair, tooFewResponses, divergentContext, ...). */
  skipped: z.record(z.string(), z.number().int()),
  /** `skipped` in words. */
  skipReasons: z.array(ZSkipReasonSchema).default([]),
});
export type TImportResult = z.infer<typeof ZImportResultSchema>;

/** One record as a rater would meet it: the conversation and two of its responses (content only; sides are drawn at random later). */
export const ZImportPreviewSchema = z.object({
  line: z.number().int(),
  context: z.array(z.object({ role: z.enum(['system', 'user', 'assistant']), content: z.string() })),
  left: z.string().nullable(),
  right: z.string().nullable(),
});
export type TImportPreview = z.infer<typeof ZImportPreviewSchema>;

/** A dry run's answer: the counts an import of this file would add now, nothing stored, and the first records. */
export const ZImportCheckSchema = ZImportResultSchema.omit({ importId: true }).extend({
  dryRun: z.literal(true),
  preview: z.array(ZImportPreviewSchema),
});
export type TImportCheck = z.infer<typeof ZImportCheckSchema>;

/** One problem in the upload; `line` is null for the upload as a whole, `file` names the multipart part. */
export const ZImportErrorSchema = z.object({
  line: z.number().int().nullable(),
  column: z.number().int().optional(),
  message: z.string(),
  file: z.string().optional(),
});
export type TImportError = z.infer<typeof ZImportErrorSchema>;

/** The details of an IMPORT_INVALID error, and of a failed import's status. */
export const ZImportErrorsSchema = z.object({
  errors: z.array(ZImportErrorSchema),
  totalErrors: z.number().int(),
});
export type TImportErrors = z.infer<typeof ZImportErrorsSchema>;

export const ZImportStatusSchema = z.object({
  id: z.uuid(),
  campaignId: z.uuid(),
  /** The format asked for while the file is read (possibly `auto`), then the one recognised. */
  format: z.string(),
  fileName: z.string().nullable(),
  status: z.enum(['RUNNING', 'PUBLISHED', 'FAILED']),
  /** receiving, importing, publishing, published; cleaning then failed. */
  phase: z.string(),
  /** Upload bytes read so far (compressed size for gzip). */
  bytes: z.number().int(),
  records: z.number().int(),
  createdAt: z.iso.datetime(),
  finishedAt: z.iso.datetime().nullable(),
  result: ZImportResultSchema.nullable(),
  errors: ZImportErrorsSchema.nullable(),
});
export type TImportStatus = z.infer<typeof ZImportStatusSchema>;

export const ZImportListResponseSchema = z.object({ imports: z.array(ZImportStatusSchema) });
