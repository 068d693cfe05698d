// Publishing a settled prompt of a job: once none of its items is open and it has at least two responses,
// its responses become visible with their comparisons (the campaign's pairing rule), in one step.
import { ZPairingSchema } from '../../contract/campaign';
import type { Db } from '../../db/handle';
import { findResponsesToPublish, finishSettledJobs, markPromptsShort, publishPrompts, type PromptResponseRow, type PublishedPrompt } from '../../db/repositories/generation';
import { pairCandidates } from '../../domain/pairing';

export interface CampaignPairing {
  seed: string;
  pairing: unknown;
}

/**
 * Publishes each settled import row (one per job and prompt) that has >= 2 responses, counting the
 * prompt's earlier published ones; pairs involve at least one new response (older pairs were made when
 * their responses were published). Two responses with the same text leave nothing to choose: not paired.
 * A few statements for the whole batch, whatever its number of prompts.
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
    const text = (r: PromptResponseRow) => (r.content.trim() === '' ? '' : r.content);
    const pairs = pairCandidates(responses, ZPairingSchema.parse(campaign.pairing), `${campaign.seed}:${first.promptKey}`)
      .filter(([a, b]) => (a.isNew || b.isNew) && text(a) !== text(b))
      .map(([a, b]) => ({ campaignId: first.campaignId, promptId: first.promptId, responseA: a.responseId, responseB: b.responseId }));
    published.push({ importId, pairs, result: { responses: responses.filter((r) => r.isNew).length, comparisons: pairs.length } });
  }
  await markPromptsShort(tx, short);
  await publishPrompts(tx, published);
}

export { finishSettledJobs };
