// Publishing a settled prompt of a job: once none of its items is open and it has at least two responses,
// its responses become visible with their comparisons or ranking tasks (the campaign's task type and pairing
// rule, as an import makes them), in one step.
import { ZCampaignDesignSchema, ZPairingSchema, type TPairing, type TTaskType } from '../../contract/campaign';
import type { Db } from '../../db/handle';
import { findResponsesToPublish, finishSettledJobs, markPromptsShort, publishPrompts, type PromptResponseRow, type PublishedPrompt } from '../../db/repositories/generation';
import { planResponseTasks } from '../../domain/ranking-split';

/** What publishing needs of a campaign: its seed, pairing rule and task type. */
export interface CampaignPairing {
  seed: string;
  pairing: TPairing;
  task: TTaskType;
}

/** Parses the campaign row's stored pairing and design. */
export function campaignPairingOf(row: { seed: string; pairing: unknown; design: unknown }): CampaignPairing {
  return { seed: row.seed, pairing: ZPairingSchema.parse(row.pairing), task: ZCampaignDesignSchema.parse(row.design).task };
}

/**
 * Publishes each settled import row (one per job and prompt) that has >= 2 responses, counting the
 * prompt's earlier published ones: its tasks are planned over all of them as an import plans a record's
 * (planResponseTasks), and those with at least one new response are kept (older ones were made when their
 * responses were published). A few statements for the whole batch, whatever its number of prompts.
 */
export async function publishSettledPrompts(
  tx: Db,
  settledImports: string[],
  campaignOf: (campaignId: string) => CampaignPairing,
): Promise<void> {
  if (settledImports.length === 0) return;
  const rows = await findResponsesToPublish(tx, settledImports);
  const byImport = new Map<string, PromptResponseRow[]>();
  for (const row of rows) {
    const list = byImport.get(row.importId);
    if (list) list.push(row);
    else byImport.set(row.importId, [row]);
  }
  const short: string[] = [];
  const published: PublishedPrompt[] = [];
  for (const importId of settledImports) {
    const responses = byImport.get(importId) ?? [];
    if (responses.length < 2 || !responses.some((r) => r.isNew)) {
      short.push(importId);
      continue;
    }
    const first = responses[0]!;
    const campaign = campaignOf(first.campaignId);
    const tasks = planResponseTasks(responses, campaign.task, campaign.pairing, `${campaign.seed}:${first.promptKey}`)
      .filter((t) => (t.slots ?? t.pair).some((r) => r.isNew))
      .map(({ pair: [a, b], slots }) => ({
        campaignId: first.campaignId,
        promptId: first.promptId,
        responseA: a.responseId,
        responseB: b.responseId,
        slots: slots ? slots.map((r) => r.responseId) : null,
      }));
    published.push({ importId, tasks, result: { responses: responses.filter((r) => r.isNew).length, comparisons: tasks.length } });
  }
  await markPromptsShort(tx, short);
  await publishPrompts(tx, published);
}

export { finishSettledJobs };
