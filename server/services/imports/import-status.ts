// An import's progress and outcome as the admin UI polls it.
import { ZImportErrorsSchema, ZImportResultSchema, type TImportStatus } from '../../contract/imports';
import { findImport, findImports, type ImportRow } from '../../db/repositories/imports';
import { AppError } from '../../errors';
import { requireCampaign } from '../campaigns/campaign-view';
import type { ServiceContext } from '../context';

function toImportStatus(row: ImportRow): TImportStatus {
  return {
    id: row.id,
    campaignId: row.campaignId,
    format: row.format,
    status: row.status,
    phase: row.phase,
    bytes: Number(row.bytes),
    records: row.records,
    createdAt: row.createdAt.toISOString(),
    finishedAt: row.finishedAt?.toISOString() ?? null,
    result: row.result === null ? null : ZImportResultSchema.parse(row.result),
    errors: row.errors === null ? null : ZImportErrorsSchema.parse(row.errors),
  };
}

export async function getImportStatus(ctx: ServiceContext, id: string): Promise<TImportStatus> {
  const row = await findImport(ctx.db.prisma, id);
  if (!row) throw new AppError('NOT_FOUND', 'There is no import with this id (yet): it appears once the upload has started.');
  return toImportStatus(row);
}

export async function listImports(ctx: ServiceContext, campaignId: string): Promise<TImportStatus[]> {
  await requireCampaign(ctx.db.prisma, campaignId);
  return (await findImports(ctx.db.prisma, campaignId)).map(toImportStatus);
}
