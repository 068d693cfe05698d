// GET /api/campaigns/:id/export: the JSONL file as a stream that pulls one page from the database
// only when the client has taken the previous one (Readable.from respects the socket's back-pressure).
import { Readable } from 'node:stream';
import type { ExportOptions } from '../../domain/export/options';
import { recordAuditEvent, type AuditActor } from '../audit/record-audit-event';
import type { ServiceContext } from '../context';
import { exportPages } from './export-lines';
import { prepareExport } from './prepare-export';

export interface ExportStream {
  stream: Readable;
  fileName: string;
  asOf: Date;
}

/** Who downloaded what is recorded before the first line is read: the row holds the query and its asOf. */
export async function streamExport(ctx: ServiceContext, actor: AuditActor, campaignId: string, options: ExportOptions): Promise<ExportStream> {
  const plan = await prepareExport(ctx, campaignId, options);
  await ctx.db.transaction((tx) =>
    recordAuditEvent(ctx, tx, actor, {
      action: 'export.download',
      target: { type: 'campaign', id: campaignId },
      campaignId,
      after: { query: options, asOf: plan.asOf, fileName: plan.fileName },
    }),
  );
  async function* chunks(): AsyncGenerator<string> {
    for await (const lines of exportPages(ctx, plan)) {
      if (lines.length === 0) continue;
      let chunk = '';
      for (const line of lines) chunk += JSON.stringify(line) + '\n';
      yield chunk;
    }
  }
  return { stream: Readable.from(chunks(), { objectMode: false }), fileName: plan.fileName, asOf: plan.asOf };
}
