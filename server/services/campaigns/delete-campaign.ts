// Deletes a Draft or Archived campaign: marked first (it disappears from every read at once), then its rows
// go in bounded batches so that other requests keep being served; start-up finishes a delete a crash cut short.
import { setImmediate as nextTick } from 'node:timers/promises';
import { DELETABLE_STATUSES } from '../../contract/campaign';
import { campaignCounts, lockCampaign } from '../../db/repositories/campaigns';
import { CAMPAIGN_TABLES_CHILDREN_FIRST, deleteCampaignRow, deleteCampaignRowsBatch, findCampaignsBeingDeleted, markCampaignDeleting } from '../../db/repositories/campaign-delete';
import { findOpenCampaignJob } from '../../db/repositories/generation';
import { findRunningImport } from '../../db/repositories/imports';
import { AppError } from '../../errors';
import { recordAuditEvent, type AuditActor } from '../audit/record-audit-event';
import type { ServiceContext } from '../context';
import { requireCampaign } from './campaign-view';

/** Rows per statement: small enough that PGlite (one query at a time, on the event loop) answers others between batches. */
const BATCH_ROWS = { pglite: 500, postgres: 5_000 } as const;

export async function deleteCampaign(ctx: ServiceContext, actor: AuditActor, id: string): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    await lockCampaign(tx, id);
    const campaign = await requireCampaign(tx, id);
    if (!DELETABLE_STATUSES.includes(campaign.status)) {
      throw new AppError(
        'CAMPAIGN_NOT_DELETABLE',
        `This campaign is ${campaign.status.toLowerCase()}: only a draft or an archived campaign can be deleted. Archive it first.`,
        { status: campaign.status },
      );
    }
    const running = await findRunningImport(tx, id);
    if (running) {
      throw new AppError('CAMPAIGN_NOT_DELETABLE', 'An import into this campaign is running: wait until it finishes, then delete.', { importId: running.id });
    }
    // A generation job's workers write responses into the campaign until the job is finished or cancelled.
    const job = await findOpenCampaignJob(tx, id);
    if (job) {
      throw new AppError(
        'CAMPAIGN_NOT_DELETABLE',
        `A generation job of this campaign is ${job.status.toLowerCase()}: cancel it (Generate tab) or wait until it is done, then delete.`,
        { generationJobId: job.id, jobStatus: job.status },
      );
    }
    await markCampaignDeleting(tx, id, ctx.clock.now());
    // The audit row outlives the campaign: it names what was deleted and how much went with it.
    const counts = (await campaignCounts(tx, [id])).get(id);
    await recordAuditEvent(ctx, tx, actor, {
      action: 'campaign.delete',
      target: { type: 'campaign', id },
      campaignId: id,
      before: { name: campaign.name, status: campaign.status, ...counts },
    });
  });
  await purgeCampaign(ctx, id);
}

/** Removes every row of a campaign marked for deletion, batch by batch. */
async function purgeCampaign(ctx: ServiceContext, id: string): Promise<void> {
  const limit = BATCH_ROWS[ctx.config.database.kind];
  for (const table of CAMPAIGN_TABLES_CHILDREN_FIRST) {
    while ((await deleteCampaignRowsBatch(ctx.db, table, id, limit)) > 0) await nextTick();
  }
  await deleteCampaignRow(ctx.db, id);
}

/** Start-up: finishes the deletes that a crash or a restart interrupted. Returns how many it finished. */
export async function finishInterruptedDeletes(ctx: ServiceContext): Promise<number> {
  const ids = await findCampaignsBeingDeleted(ctx.db);
  for (const id of ids) {
    ctx.log.warn({ campaignId: id }, 'finishing the delete of a campaign that a restart interrupted');
    await purgeCampaign(ctx, id);
  }
  return ids.length;
}
