// GET /api/audit: the audit trail newest first, filtered, one keyset page at a time.
import type { TAuditPage, TAuditQuery } from '../../contract/audit';
import { listAuditEvents } from '../../db/repositories/audit-events';
import type { ServiceContext } from '../context';

export async function listAuditTrail(ctx: ServiceContext, query: TAuditQuery): Promise<TAuditPage> {
  // One row more than asked tells whether another page follows.
  const rows = await listAuditEvents(ctx.db, {
    actor: query.actor,
    action: query.action,
    targetType: query.targetType,
    targetId: query.targetId,
    campaignId: query.campaignId,
    from: query.from ? new Date(query.from) : undefined,
    to: query.to ? new Date(query.to) : undefined,
    beforeId: query.cursor === undefined ? undefined : BigInt(query.cursor),
    limit: query.limit + 1,
  });
  const page = rows.slice(0, query.limit);
  return {
    items: page.map((row) => ({
      id: row.id.toString(),
      at: row.at.toISOString(),
      actor: row.actor,
      actorEmail: row.actorEmail,
      via: row.via,
      action: row.action,
      targetType: row.targetType,
      targetId: row.targetId,
      campaignId: row.campaignId,
      before: row.before ?? null,
      after: row.after ?? null,
    })),
    nextCursor: rows.length > query.limit ? page[page.length - 1]!.id.toString() : null,
  };
}
