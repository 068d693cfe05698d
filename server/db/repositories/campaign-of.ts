// The campaign a row belongs to, for access checks that depend on the campaign (scoped API tokens).
import type { Db } from '../handle';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The import's campaign; null when there is no such import (or the id is not a uuid). */
export async function campaignOfImport(db: Db, importId: string): Promise<string | null> {
  if (!UUID.test(importId)) return null;
  return (await db.prisma.import.findUnique({ where: { id: importId }, select: { campaignId: true } }))?.campaignId ?? null;
}
