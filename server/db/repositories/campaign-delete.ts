// Deleting a campaign's rows in bounded batches: each statement removes at most `limit` rows of one table and
// commits on its own, children before parents so no cascade makes a statement unbounded, and other requests
// (on PGlite: the same thread) run between the statements.
import type { Db } from '../handle';
import { CAMPAIGN_SQL } from '../sql/campaigns';

/**
 * The tables holding a campaign's rows, children first: deleting a row here never cascades into a table
 * that comes earlier. Whatever a later table adds is still removed by the final cascade from "Campaign".
 */
export const CAMPAIGN_TABLES_CHILDREN_FIRST = [
  'Flag',
  'Judgment',
  'Assignment',
  'Comparison',
  'ClaimReopen',
  'Response',
  'Prompt',
  'Import',
  'RaterExclusion',
  'CampaignMember',
  'CampaignReviewer',
  'Invite',
  'CampaignGuideline',
] as const;

type CampaignTable = (typeof CAMPAIGN_TABLES_CHILDREN_FIRST)[number];

/** Tables whose rows are keyed by "id"; the others are deleted by ctid (their keys are composite). */
const KEYED_BY_ID = new Set<CampaignTable>(['Flag', 'Judgment', 'Assignment', 'Comparison', 'Response', 'Prompt', 'Import', 'RaterExclusion', 'Invite']);

/** Deletes up to `limit` rows of the campaign from one table; returns how many went. */
export function deleteCampaignRowsBatch(db: Db, table: CampaignTable, campaignId: string, limit: number): Promise<number> {
  return db.sql.execute(CAMPAIGN_SQL.deleteRowsBatch(table, KEYED_BY_ID.has(table) ? 'id' : 'ctid'), [campaignId, limit]);
}

/** The campaign row itself, once its tables are empty (the cascade catches any table added later). */
export function deleteCampaignRow(db: Db, campaignId: string): Promise<number> {
  return db.sql.execute(CAMPAIGN_SQL.deleteRow, [campaignId]);
}

export function markCampaignDeleting(db: Db, campaignId: string, at: Date): Promise<unknown> {
  return db.prisma.campaign.update({ where: { id: campaignId }, data: { deletingAt: at } });
}

/** Campaigns whose delete started but did not finish (a crash or a restart in between). */
export async function findCampaignsBeingDeleted(db: Db): Promise<string[]> {
  return (await db.prisma.campaign.findMany({ where: { deletingAt: { not: null } }, select: { id: true } })).map((row) => row.id);
}
