// The audit trail's rows: written inside the caller's transaction, read newest first in keyset pages.
import { Prisma } from '../database';
import type { Db } from '../handle';

export interface AuditEventRow {
  actor: string;
  actorEmail: string | null;
  via: string;
  action: string;
  targetType: string;
  targetId: string;
  campaignId: string | null;
  before: unknown;
  after: unknown;
  at: Date;
}

const json = (value: unknown) => (value === null || value === undefined ? Prisma.DbNull : (value as Prisma.InputJsonValue));

/** Rows in one statement (a bulk action records one row per thing it did). */
export async function insertAuditEvents(db: Db, rows: AuditEventRow[]): Promise<void> {
  await db.prisma.auditEvent.createMany({ data: rows.map((row) => ({ ...row, before: json(row.before), after: json(row.after) })) });
}

export interface AuditFilter {
  actor?: string;
  /** Exact, or every action of an area when it ends with a dot. */
  action?: string;
  targetType?: string;
  targetId?: string;
  campaignId?: string;
  from?: Date;
  to?: Date;
  /** Only rows with a smaller id (the previous page's last). */
  beforeId?: bigint;
  limit: number;
}

export function listAuditEvents(db: Db, f: AuditFilter) {
  return db.prisma.auditEvent.findMany({
    where: {
      actor: f.actor,
      action: f.action?.endsWith('.') ? { startsWith: f.action } : f.action,
      targetType: f.targetType,
      targetId: f.targetId,
      campaignId: f.campaignId,
      at: f.from || f.to ? { gte: f.from, lte: f.to } : undefined,
      id: f.beforeId === undefined ? undefined : { lt: f.beforeId },
    },
    orderBy: { id: 'desc' },
    take: f.limit,
  });
}
