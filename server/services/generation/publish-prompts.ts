// Publishing a settled prompt of a job: once none of its items is open and it has at least two responses,
// its responses become visible with their comparisons or ranking tasks (the campaign's task type and pairing
// rule, as an import makes them), in one step.
import { ZCampaignDesignSchema, ZPairingSchema, type TPairing, type TTaskType } from '../../contract/campaign';
import type { Db } from '../../db/handle';
import { publishSettledImports, type PromptImport, type Publication, type PublishedPrompt, type SettledPromptRow } from '../../db/repositories/generation';
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
 * What publishing makes of settled import rows (one per job and prompt): each with >= 2 responses, counting
 * the prompt's earlier published ones, is published with its tasks, planned over all of them as an import
 * plans a record's (planResponseTasks); those with at least one new response are kept (older ones were made
 * when their responses were published). The others stay short (a retry may still add a response).
 */
export function planPublication(rows: SettledPromptRow[], campaignOf: (campaignId: string) => CampaignPairing): Publication {
  const byImport = new Map<string, SettledPromptRow[]>();
  for (const row of rows) {
    const list = byImport.get(row.importId);
    if (list) list.push(row);
    else byImport.set(row.importId, [row]);
  }
  const short: string[] = [];
  const published: PublishedPrompt[] = [];
  for (const [importId, list] of byImport) {
    const responses = list.filter((r): r is PromptResponse => r.responseId !== null);
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
  return { published, short };
}

/** A row that carries a response. */
type PromptResponse = SettledPromptRow & { responseId: number; key: string; model: string; content: string; isNew: boolean };

/** Publishes those of these import rows whose prompt is settled, in the caller's transaction (a cancelled job's). */
export async function publishSettledPrompts(tx: Db, imports: PromptImport[], campaignOf: (campaignId: string) => CampaignPairing): Promise<void> {
  await publishSettledImports(tx, imports, (rows) => planPublication(rows, campaignOf));
}
