// GET /api/campaigns/:id/export/count: how many lines the same request would download (the split and the
// aggregation rule are computed in code, so the count runs the export's own pipeline without writing it).
import type { ExportOptions } from '../../domain/export/options';
import type { ServiceContext } from '../context';
import { exportPages } from './export-lines';
import { prepareExport } from './prepare-export';

export async function countExportRows(ctx: ServiceContext, campaignId: string, options: ExportOptions): Promise<{ rows: number; asOf: Date }> {
  const plan = await prepareExport(ctx, campaignId, options);
  let rows = 0;
  for await (const lines of exportPages(ctx, plan)) rows += lines.length;
  return { rows, asOf: plan.asOf };
}
