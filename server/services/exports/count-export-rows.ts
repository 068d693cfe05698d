// GET /api/campaigns/:id/export/count: how many lines the same request would download, how many comparisons
// its aggregation leaves out and why, and its first lines (the split and the aggregation rule are computed in
// code, so the count runs the export's own pipeline without writing it).
import type { DropReason } from '../../domain/export/aggregate';
import type { ExportOptions } from '../../domain/export/options';
import type { ServiceContext } from '../context';
import { exportPages } from './export-lines';
import { prepareExport } from './prepare-export';

/** Lines shown as the preview. */
export const PREVIEW_LINES = 3;

export interface ExportCount {
  rows: number;
  asOf: Date;
  dropped: Partial<Record<DropReason, number>>;
  /** The minimum judgments per comparison applied; null for raw. */
  minJudgments: number | null;
  preview: object[];
}

export async function countExportRows(ctx: ServiceContext, campaignId: string, options: ExportOptions): Promise<ExportCount> {
  const plan = await prepareExport(ctx, campaignId, options);
  const dropped: Partial<Record<DropReason, number>> = {};
  const preview: object[] = [];
  let rows = 0;
  for await (const lines of exportPages(ctx, plan, null, dropped)) {
    rows += lines.length;
    if (preview.length < PREVIEW_LINES) preview.push(...lines.slice(0, PREVIEW_LINES - preview.length));
  }
  return { rows, asOf: plan.asOf, dropped, minJudgments: plan.options.aggregation?.minJudgments ?? null, preview };
}
