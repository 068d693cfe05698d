// The demo campaign on a fresh database: FastChat's Vicuna eval set (80 questions x 5 models, prisma/demo),
// imported through the same import service as an upload, so that a first start has something to rate.
import { createReadStream, readdirSync } from 'node:fs';
import path from 'node:path';
import { ZCreateCampaignRequestSchema } from '../../contract/campaign';
import { PROJECT_ROOT } from '../../project-root';
import { findFirstAdminId, insertCampaign, lockWhileNoCampaign } from '../../db/repositories/campaigns';
import { addCampaignMember } from '../../db/repositories/members';
import { recordAuditEvent } from '../audit/record-audit-event';
import type { ServiceContext } from '../context';
import type { UploadPart } from '../imports/answer-file-parts';
import { importPromptSet } from '../imports/import-prompt-set';

const DEMO_DIR = path.join(PROJECT_ROOT, 'prisma/demo/vicuna-eval-2023');

const INSTRUCTIONS = `You will see a question and two answers written by different AI assistants.

**Pick the better answer**: the one that is more helpful, correct and clear. Length is no merit by itself.

- Choose **Tie** when both are equally good (or equally poor).
- Use the keyboard: <kbd>←</kbd> or <kbd>1</kbd> left, <kbd>→</kbd> or <kbd>2</kbd> right, <kbd>T</kbd> tie, <kbd>Enter</kbd> to submit, <kbd>?</kbd> for all keys.

This demo uses FastChat's 2023 Vicuna evaluation questions and answers (Apache-2.0).`;

async function* demoParts(): AsyncGenerator<UploadPart> {
  yield { fieldname: 'questions', filename: 'question.jsonl', file: createReadStream(path.join(DEMO_DIR, 'question.jsonl')) };
  for (const name of readdirSync(path.join(DEMO_DIR, 'answer')).sort()) {
    yield { fieldname: 'answers', filename: name, file: createReadStream(path.join(DEMO_DIR, 'answer', name)) };
  }
}

/** Lines to print at start-up; none unless the demo is on and the database has no campaign at all. */
export async function seedDemo(ctx: ServiceContext): Promise<string[]> {
  if (!ctx.config.demo) return [];
  const settings = ZCreateCampaignRequestSchema.parse({
    name: 'Demo: Vicuna eval (80 questions x 5 models)',
    instructions: INSTRUCTIONS,
    status: 'ACTIVE',
  });
  // Ready to rate on first start (Active): its questions need no content warning.
  const campaign = await ctx.db.transaction(async (tx) => {
    if (!(await lockWhileNoCampaign(tx))) return null;
    const created = await insertCampaign(tx, { ...settings, contentWarningReviewed: true, seed: ctx.random.bytes(16).toString('hex') });
    await recordAuditEvent(ctx, tx, 'system', { action: 'campaign.create', target: { type: 'campaign', id: created.id }, campaignId: created.id, after: { name: created.name, demo: true } });
    return created;
  });
  if (!campaign) return [];
  const result = await importPromptSet(ctx, {
    campaignId: campaign.id,
    actor: 'system',
    format: 'answer-files',
    keepFilePairs: true,
    source: { kind: 'multipart', parts: demoParts() },
  });
  const adminId = await findFirstAdminId(ctx.db);
  if (adminId) await addCampaignMember(ctx.db, campaign.id, adminId);
  return [
    `Demo campaign (${result.prompts} prompts, ${result.comparisons} comparisons): ${ctx.config.publicUrl}/campaigns/${campaign.id}` +
      (adminId ? '' : ' (the first admin joins it as a rater)'),
  ];
}
