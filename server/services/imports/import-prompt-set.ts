// Imports a prompt set into a campaign: parses the upload as it streams in, stages rows in short committed
// batches tagged with the import (invisible until published), keeps progress on the Import row, and
// publishes in one step at the end. Any error imports nothing: the staged rows are deleted.
import { setImmediate as nextTick } from 'node:timers/promises';
import { ZCampaignDesignSchema, ZPairingSchema } from '../../contract/campaign';
import {
  describeSkips,
  IMPORT_FORMAT_NAMES,
  type TImportCheck,
  type TImportError,
  type TImportErrors,
  type TImportPreview,
  type TImportQuery,
  type TImportResult,
} from '../../contract/imports';
import { lockCampaign } from '../../db/repositories/campaigns';
import {
  existingRowKeys,
  findImport,
  findRunningImport,
  insertImport,
  analyzeImportedTables,
  publishImport,
  saveProgress,
  stageComparisons,
  stagePrompts,
  stageResponses,
  type StagingBatch,
} from '../../db/repositories/imports';
import { parseUpload } from '../../domain/import/parse-upload';
import type { ImportEvent, ImportRecord, UploadErrorCode } from '../../domain/import/types';
import { ImportCancelledError } from '../../domain/import/upload-bytes';
import { AppError } from '../../errors';
import { recordAuditEvent, type AuditActor } from '../audit/record-audit-event';
import { requireCampaign } from '../campaigns/campaign-view';
import type { ServiceContext } from '../context';
import { answerFileEvents, type UploadPart } from './answer-file-parts';
import { cleanUpAbandonedImports } from './clean-up-abandoned-imports';
import { discardImport } from './discard-import';
import { startHeartbeat } from './import-heartbeat';
import { StagingBatchBuilder, type PairingPolicy } from './staging-batch';

export type UploadSource =
  | { kind: 'body'; stream: AsyncIterable<Uint8Array>; contentType: string | undefined }
  | { kind: 'multipart'; parts: AsyncIterable<UploadPart> };

export interface ImportRequest {
  campaignId: string;
  /** Who uploads (`system` for the demo at first start); the audit row is written in the publishing transaction. */
  actor: AuditActor;
  /** Chosen by the client to poll progress; made up otherwise. */
  importId?: string;
  format: string;
  keepFilePairs: boolean;
  /** Whether a blank response skips its record (the default) or is compared like any other. */
  emptyResponses?: TImportQuery['emptyResponses'];
  /** The uploaded file's name as the client gave it. */
  fileName?: string;
  source: UploadSource;
  /** Aborted when the client went away or the server shuts down: the import stops and stores nothing. */
  signal?: AbortSignal;
}

/**
 * A batch is staged when it holds this many records or comparisons. PGlite runs each statement on the
 * event loop's thread (WASM), blocking every other request meanwhile, so its batches are small; on
 * Postgres larger batches mean fewer round trips, while a batch stays small enough to die young in the heap.
 */
const BATCH_LIMITS = { pglite: { records: 100, comparisons: 600 }, postgres: { records: 250, comparisons: 1_500 } } as const;
const MAX_ERRORS_SHOWN = 100;
/** Records a dry run shows as raters would meet them. */
const PREVIEW_RECORDS = 3;
type ImportLimits = ServiceContext['config']['import'];
const PROGRESS_EVERY_MS = 500;
/**
 * Parsing a buffered body, and PGlite's in-process queries, resolve as microtasks that never let the
 * event loop run: the import yields after every statement and every this many records, so that other
 * requests (each needs several turns of the loop) are served in between.
 */
const YIELD_EVERY_RECORDS = 50;

function checkFormat(format: string, source: UploadSource): void {
  if (!(IMPORT_FORMAT_NAMES as readonly string[]).includes(format)) {
    throw new AppError('UNKNOWN_FORMAT', `Unknown format "${format}": use one of ${IMPORT_FORMAT_NAMES.join(', ')}.`);
  }
  if (source.kind === 'multipart' && format !== 'auto' && format !== 'answer-files') {
    throw new AppError('VALIDATION_FAILED', `A multipart upload is read as answer files; send a ${format} file as the request body instead.`);
  }
  if (source.kind === 'body' && format === 'answer-files') {
    throw new AppError(
      'VALIDATION_FAILED',
      'Answer files are a multipart/form-data upload: one part named "questions" and one part named "answers" per model.',
    );
  }
}

function uploadEvents(request: ImportRequest, limits: ImportLimits): AsyncIterable<ImportEvent> {
  const { source, emptyResponses, signal } = request;
  const { maxLineBytes, maxUploadBytes, maxInflatedBytes, maxLines } = limits;
  if (source.kind === 'multipart') return answerFileEvents(source.parts, { maxLineBytes, maxUploadBytes, maxLines, emptyResponses, signal });
  return parseUpload(source.stream, {
    format: request.format,
    contentType: source.contentType,
    emptyResponses,
    maxLineBytes,
    maxUploadBytes,
    maxInflatedBytes,
    maxLines,
    signal,
  });
}

/** Feeds the upload's events to the run until they end, the run has seen enough, or the request is cancelled. */
async function readUpload(ctx: ServiceContext, request: ImportRequest, run: ImportRun): Promise<void> {
  const { signal } = request;
  for await (const event of uploadEvents(request, ctx.config.import)) {
    if (signal?.aborted) break;
    await run.handle(event);
    if (run.stopped) break;
  }
  if (signal?.aborted) throw new ImportCancelledError(String(signal.reason));
  await run.finish();
}

function cancelledAsAppError(error: unknown): unknown {
  if (!(error instanceof ImportCancelledError)) return error;
  return new AppError('IMPORT_CANCELLED', `${capitalised(error.message)}; nothing was stored: upload the file again.`);
}

/** How the campaign's settings cut records into tasks: pairs by its pairing strategy, or ranking tasks of its size. */
function pairingPolicy(campaign: { seed: string; pairing: unknown; design: unknown }, request: ImportRequest): PairingPolicy {
  return {
    campaignSeed: campaign.seed,
    strategy: ZPairingSchema.parse(campaign.pairing),
    keepFilePairs: request.keepFilePairs,
    task: ZCampaignDesignSchema.parse(campaign.design).task,
  };
}

/** Registers the import, one at a time per campaign (a second one would see the first one's unpublished rows). */
async function startImport(ctx: ServiceContext, request: ImportRequest, importId: string) {
  return ctx.db.transaction(async (tx) => {
    await lockCampaign(tx, request.campaignId);
    const campaign = await requireCampaign(tx, request.campaignId);
    if (await findImport(tx, importId)) throw new AppError('IMPORT_ID_TAKEN', 'This importId is already used: let the client pick a new UUID.');
    const running = await findRunningImport(tx, campaign.id);
    if (running) {
      throw new AppError('IMPORT_RUNNING', `Another import into this campaign is running (${running.id}): wait until it finishes, then upload again.`, {
        importId: running.id,
      });
    }
    await insertImport(tx, { id: importId, campaignId: campaign.id, createdById: request.actor === 'system' ? null : request.actor.user.id, format: request.format, fileName: request.fileName ?? null, at: ctx.clock.now() });
    return campaign;
  });
}

/**
 * A dry run: reads and checks the whole file as an import would, stores nothing, and answers what an import
 * would add now (rows the campaign does not have yet) with the first records as raters would meet them. It
 * takes no import slot and no lock: it may run beside an import, and its counts are as of the moment it read.
 */
export async function checkPromptSet(ctx: ServiceContext, request: ImportRequest): Promise<TImportCheck> {
  checkFormat(request.format, request.source);
  const campaign = await requireCampaign(ctx.db, request.campaignId);
  const run = new ImportRun(
    ctx,
    campaign.id,
    null,
    pairingPolicy(campaign, request),
  );
  try {
    await readUpload(ctx, request, run);
  } catch (error) {
    throw cancelledAsAppError(error);
  }
  const { importId: _none, ...result } = run.result(request.source.kind === 'multipart' ? 'answer-files' : request.format, request.fileName ?? null);
  return { ...result, dryRun: true, preview: run.preview };
}

/** Runs the whole import; resolves with the new rows' counts, or throws an AppError after removing whatever was staged. */
export async function importPromptSet(ctx: ServiceContext, request: ImportRequest): Promise<TImportResult> {
  checkFormat(request.format, request.source);
  await cleanUpAbandonedImports(ctx);
  const importId = request.importId ?? ctx.random.uuid();
  const campaign = await startImport(ctx, request, importId);
  const run = new ImportRun(ctx, campaign.id, importId, pairingPolicy(campaign, request));
  const stopHeartbeat = startHeartbeat(ctx, importId);
  try {
    await readUpload(ctx, request, run);
    const result = run.result(request.source.kind === 'multipart' ? 'answer-files' : request.format, request.fileName ?? null);
    await saveProgress(ctx.db, importId, { phase: 'publishing', bytes: run.bytes, records: run.records }, ctx.clock.now());
    await ctx.db.transaction(async (tx) => {
      if (!(await publishImport(tx, importId, result, ctx.clock.now()))) {
        throw new AppError('IMPORT_ABANDONED', 'The import was cancelled while it ran (it looked abandoned): upload the file again.');
      }
      await recordAuditEvent(ctx, tx, request.actor, {
        action: 'import.publish',
        target: { type: 'import', id: importId },
        campaignId: campaign.id,
        after: { ...result, bytes: run.bytes, records: run.records },
      });
    });
    await analyzeImportedTables(ctx.db).catch((err: unknown) => ctx.log.warn({ err }, 'ANALYZE after import failed'));
    return result;
  } catch (error) {
    await discardImport(ctx, importId, failureDetails(error)).catch((err: unknown) => ctx.log.error({ err, importId }, 'could not clean up a failed import'));
    throw cancelledAsAppError(error);
  } finally {
    stopHeartbeat();
  }
}

const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** Error messages quote the upload, which may hold lone surrogates or NULs that Postgres (jsonb) refuses to store. */
const wellFormed = (text: string) =>
  text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD').replaceAll('\u0000', '\\u0000');

function failureDetails(error: unknown): TImportErrors {
  if (error instanceof AppError && error.code === 'IMPORT_INVALID') return error.details as TImportErrors;
  const told = error instanceof AppError || error instanceof ImportCancelledError || (error as { statusCode?: number }).statusCode;
  const message = told ? (error as Error).message : 'the import failed on the server (the error was logged)';
  return { errors: [{ line: null, message }], totalErrors: 1 };
}

/** The state of one import while its events stream in. */
class ImportRun {
  bytes = 0;
  records = 0;
  /** Set when reading should stop: enough errors to report, or the comparison cap was reached. */
  stopped = false;
  /** Comparisons the records so far give (checked against the cap before a record is staged). */
  private planned = 0;
  private readonly staged = { prompts: 0, responses: 0, comparisons: 0, gold: 0 };
  private readonly skipped: Record<string, number> = {};
  private readonly errors: TImportError[] = [];
  private totalErrors = 0;
  private uploadError: { code: UploadErrorCode; message: string } | null = null;
  private readonly batch: StagingBatchBuilder;
  /** Dry run only: the first records as raters would meet them, and the row keys counted so far (so a key repeated in the file counts once). */
  readonly preview: TImportPreview[] = [];
  private readonly seen = { prompts: new Set<string>(), responses: new Set<string>(), comparisons: new Set<string>() };
  private readonly limits: ImportLimits;
  /** At most one batch is written while the next one is parsed. */
  private writing: Promise<void> = Promise.resolve();
  private lastProgressAt = 0;
  private phase = 'receiving';
  /** The format the parser read the records as (the one recognised when `auto` was asked for). */
  private readFormat: string | null = null;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly campaignId: string,
    /** null: a dry run, which stores nothing. */
    private readonly importId: string | null,
    policy: PairingPolicy,
  ) {
    this.batch = new StagingBatchBuilder(policy);
    this.limits = ctx.config.import;
  }

  async handle(event: ImportEvent): Promise<void> {
    switch (event.type) {
      case 'record':
        return this.addRecord(event.record);
      case 'skip':
        this.skipped[event.reason] = (this.skipped[event.reason] ?? 0) + 1;
        return;
      case 'error':
        this.totalErrors += 1;
        if (this.totalErrors >= this.limits.maxErrors) this.stopped = true;
        if (event.code && !this.uploadError) this.uploadError = { code: event.code, message: wellFormed(event.message) };
        if (this.errors.length < MAX_ERRORS_SHOWN) {
          const { line, column, file } = event;
          this.errors.push({ line, message: wellFormed(event.message), ...(column === undefined ? {} : { column }), ...(file === undefined ? {} : { file }) });
        }
        return;
      case 'progress':
        this.bytes = event.bytes;
        return this.reportProgress();
      case 'format':
        this.readFormat = event.name;
        return;
    }
  }

  private async addRecord(record: ImportRecord): Promise<void> {
    this.records += 1;
    if (this.records % YIELD_EVERY_RECORDS === 0) await nextTick();
    const { maxResponsesPerPrompt, maxComparisons } = this.limits;
    if (record.responses.length > maxResponsesPerPrompt) {
      const message = `${record.responses.length} responses to one prompt, more than the limit of ${maxResponsesPerPrompt} (IMPORT_MAX_RESPONSES_PER_PROMPT): split them over several prompts, or raise the limit`;
      return this.handle({ type: 'error', line: record.line, message });
    }
    // After the first error nothing will be kept: parse on only to report every error.
    if (this.totalErrors > 0) return;
    const comparisons = this.batch.plan(record);
    this.planned += comparisons.length;
    if (this.planned > maxComparisons) {
      this.stopped = true;
      const message =
        `this record brings the import to ${this.planned} comparisons, more than the limit of ${maxComparisons} per import (IMPORT_MAX_COMPARISONS): ` +
        'split the file into several imports, pair a sample of the responses (campaign pairing "sample"), or raise the limit';
      return this.handle({ type: 'error', line: record.line, message });
    }
    this.phase = 'importing';
    if (this.importId === null && this.preview.length < PREVIEW_RECORDS) {
      this.preview.push({ line: record.line, context: record.context, left: record.responses[0]?.content ?? null, right: record.responses[1]?.content ?? null });
    }
    this.batch.add(record, comparisons);
    const limits = BATCH_LIMITS[this.ctx.db.kind];
    if (this.batch.records >= limits.records || this.batch.comparisons >= limits.comparisons) await this.flush();
  }

  private async flush(): Promise<void> {
    if (this.batch.records === 0) return;
    const rows: StagingBatch = this.batch.take();
    await this.writing;
    const write = this.stage(rows);
    // Awaited at the next flush or at the end; until then a failure must not surface as unhandled.
    write.catch(() => {});
    this.writing = write;
    await this.reportProgress();
  }

  private async stage(rows: StagingBatch): Promise<void> {
    if (this.importId === null) return this.countNew(rows);
    const { db } = this.ctx;
    this.staged.prompts += await stagePrompts(db, this.campaignId, this.importId, rows);
    await nextTick();
    this.staged.responses += await stageResponses(db, this.campaignId, this.importId, rows);
    await nextTick();
    const { comparisons, gold } = await stageComparisons(db, this.campaignId, this.importId, rows);
    this.staged.comparisons += comparisons;
    this.staged.gold += gold;
    await nextTick();
  }

  /** A dry run's stand-in for staging: counts the rows the campaign does not have yet, reading only. */
  private async countNew(rows: StagingBatch): Promise<void> {
    const existing = await existingRowKeys(this.ctx.db, this.campaignId, [...new Set(rows.prompts.key)]);
    const join = (...parts: string[]) => parts.join('\u0000');
    for (const key of existing.prompts) this.seen.prompts.add(key);
    for (const parts of existing.responses) this.seen.responses.add(join(...parts));
    for (const parts of existing.comparisons) this.seen.comparisons.add(join(...parts));
    const isNew = (set: Set<string>, key: string) => !set.has(key) && Boolean(set.add(key));
    this.staged.prompts += rows.prompts.key.filter((key) => isNew(this.seen.prompts, key)).length;
    this.staged.responses += rows.responses.key.filter((key, i) => isNew(this.seen.responses, join(rows.responses.promptKey[i]!, key))).length;
    const c = rows.comparisons;
    c.promptKey.forEach((prompt, i) => {
      if (!isNew(this.seen.comparisons, join(prompt, c.keyA[i]!, c.keyB[i]!))) return;
      if (c.isGold[i]) this.staged.gold += 1;
      else this.staged.comparisons += 1;
    });
    await nextTick();
  }

  async finish(): Promise<void> {
    if (!this.uploadError && this.totalErrors === 0) await this.flush();
    await this.writing;
    this.throwIfFailed();
  }

  private throwIfFailed(): void {
    const details: TImportErrors = { errors: this.errors, totalErrors: this.totalErrors };
    if (this.uploadError) {
      const { code, message } = this.uploadError;
      const text = capitalised(message) + '.';
      throw new AppError(code, text, code === 'IMPORT_EMPTY' ? { ...details, skipped: this.skipped } : details);
    }
    if (this.totalErrors === 0) return;
    const first = this.errors[0]!;
    const stoppedEarly = this.totalErrors >= this.limits.maxErrors ? ` (reading stopped there, at the limit of IMPORT_MAX_ERRORS)` : '';
    const where = [first.file, first.line === null ? null : `line ${first.line}`].filter(Boolean).join(' ');
    throw new AppError(
      'IMPORT_INVALID',
      `The upload has ${this.totalErrors} error${this.totalErrors === 1 ? '' : 's'}${stoppedEarly}, so nothing was imported; fix ${this.totalErrors === 1 ? 'it' : 'them'} and upload again. First: ${where ? `${where}: ` : ''}${first.message}`,
      details,
    );
  }

  result(requestedFormat: string, fileName: string | null): TImportResult {
    const format = this.readFormat ?? requestedFormat;
    return { importId: this.importId ?? '', format, fileName, records: this.records, ...this.staged, skipped: this.skipped, skipReasons: describeSkips(this.skipped) };
  }

  private async reportProgress(): Promise<void> {
    const now = this.ctx.clock.now();
    // A dry run has no Import row to report on.
    if (this.importId === null || now.getTime() - this.lastProgressAt < PROGRESS_EVERY_MS) return;
    this.lastProgressAt = now.getTime();
    await saveProgress(this.ctx.db, this.importId, { phase: this.phase, bytes: this.bytes, records: this.records }, now);
  }
}
