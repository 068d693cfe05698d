// An import's progress and outcome as the admin UI polls it.
import { describeSkips, ZImportErrorsSchema, ZImportResultSchema, type TImportResult, type TImportStatus } from '../../contract/imports';
import { findImport, findImports, type ImportRow } from '../../db/repositories/imports';
import { AppError } from '../../errors';
import { requireCampaign } from '../campaigns/campaign-view';
import type { ServiceContext } from '../context';

function toImportStatus(row: ImportRow): TImportStatus {
  return {
    id: row.id,
    campaignId: row.campaignId,
    format: row.format,
    fileName: row.fileName,
    status: row.status,
    phase: row.phase,
    bytes: Number(row.bytes),
    records: row.records,
    createdAt: row.createdAt.toISOString(),
    finishedAt: row.finishedAt?.toISOString() ?? null,
    result: row.result === null ? null : storedResult(row),
    errors: row.errors === null ? null : ZImportErrorsSchema.parse(row.errors),
  };
}

/** A stored result; those published before skip reasons had words get them now. */
function storedResult(row: ImportRow): TImportResult {
  const result = ZImportResultSchema.parse(row.result);
  return { ...result, fileName: result.fileName ?? row.fileName, skipReasons: describeSkips(result.skipped) };
}

export async function getImportStatus(ctx: ServiceContext, id: string): Promise<TImportStatus> {
  const row = await findImport(ctx.db, id);
  if (!row) throw new AppError('NOT_FOUND', 'There is no import with this id (yet): it appears once the upload has started.');
  return toImportStatus(row);
}

export async function listImports(ctx: ServiceContext, campaignId: string): Promise<TImportStatus[]> {
  await requireCampaign(ctx.db, campaignId);
  return (await findImports(ctx.db, campaignId)).map(toImportStatus);
}
