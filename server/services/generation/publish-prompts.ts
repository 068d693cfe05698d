// Publishing a settled prompt of a job: once none of its items is open and it has at least two responses,
// its responses become visible with their comparisons or ranking tasks (the campaign's task type and pairing
// rule, as an import makes them), in one step.
import { ZCampaignDesignSchema, ZPairingSchema, type TPairing, type TTaskType } from '../../contract/campaign';
import type { Db } from '../../db/handle';
import { publishSettledImports, type PromptImport, type Publication, type PublishedPrompt, type SettledPromptRow } from '../../db/repositories/generation';
import type { Candidate } from '../../domain/pairing';
import { planResponseTasks, type PlannedTask } from '../../domain/ranking-split';

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
    const tasks = newPromptTasks(responses, campaign, first.promptKey).map(({ pair: [a, b], slots }) => ({
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

/**
 * The tasks a prompt's responses get when some of them are new: those of the campaign's task type and pairing
 * rule (planResponseTasks, as an import plans a record's) that hold a new response (older ones were made when
 * their responses were published). `promptKey` seeds the rule, so a prompt's tasks repeat exactly.
 */
export function newPromptTasks<T extends Candidate & { content: string; isNew: boolean }>(responses: readonly T[], campaign: CampaignPairing, promptKey: string): PlannedTask<T>[] {
  return planResponseTasks(responses, campaign.task, campaign.pairing, `${campaign.seed}:${promptKey}`).filter((t) => (t.slots ?? t.pair).some((r) => r.isNew));
}

/** A row that carries a response. */
type PromptResponse = SettledPromptRow & { responseId: number; key: string; model: string; content: string; isNew: boolean };

/** Publishes those of these import rows whose prompt is settled, in the caller's transaction (a cancelled job's). */
export async function publishSettledPrompts(tx: Db, imports: PromptImport[], campaignOf: (campaignId: string) => CampaignPairing): Promise<void> {
  await publishSettledImports(tx, imports, (rows) => planPublication(rows, campaignOf));
}
