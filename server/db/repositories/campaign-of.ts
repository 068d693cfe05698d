// The campaign a row belongs to, for access checks that depend on the campaign (scoped API tokens, reviewers).
import type { Db } from '../handle';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SERIAL = /^[1-9][0-9]{0,9}$/;

/** The import's campaign; null when there is no such import (or the id is not a uuid). */
export async function campaignOfImport(db: Db, importId: string): Promise<string | null> {
  if (!UUID.test(importId)) return null;
  return (await db.prisma.import.findUnique({ where: { id: importId }, select: { campaignId: true } }))?.campaignId ?? null;
}

/** The campaign of a comparison, flag or response; null when there is no such row (or the id is not a serial). */
export async function campaignOfRow(db: Db, table: 'comparison' | 'flag' | 'response', id: string): Promise<string | null> {
  if (!SERIAL.test(id) || Number(id) > 2_147_483_647) return null;
  const where = { where: { id: Number(id) }, select: { campaignId: true } } as const;
  const row =
    table === 'comparison'
      ? await db.prisma.comparison.findUnique(where)
      : table === 'flag'
        ? await db.prisma.flag.findUnique(where)
        : await db.prisma.response.findUnique(where);
  return row?.campaignId ?? null;
}
