// Starting a generation job, and pausing, resuming, cancelling it or retrying its failed items.
// Every action is recorded in the audit trail in its own transaction.
import { ZCreateGenerationJobRequestSchema, type TCreateGenerationJobRequest } from '../../contract/generation';
import { lockCampaign } from '../../db/repositories/campaigns';
import {
  cancelOpenItems,
  countPromptResponses,
  disableJit,
  findJobPrompts,
  findUnpublishedImports,
  insertJob,
  requeueFailedItems,
  setJobStatus,
} from '../../db/repositories/generation';
import { findModelEndpoints } from '../../db/repositories/model-endpoints';
import { AppError } from '../../errors';
import { recordAuditEvent, type AuditActor } from '../audit/record-audit-event';
import { requireCampaign } from '../campaigns/campaign-view';
import type { ServiceContext } from '../context';
import { requireJob, type JobOptions } from './job-view';
import { campaignPairingOf, publishSettledPrompts } from './publish-prompts';

/** Items one job may hold: beyond this, split the prompt set (each item is a row and a request). */
export const MAX_JOB_ITEMS = 1_000_000;

export async function createGenerationJob(ctx: ServiceContext, actor: AuditActor, campaignId: string, request: TCreateGenerationJobRequest): Promise<{ id: string }> {
  const r = ZCreateGenerationJobRequestSchema.parse(request);
  const endpointIds = [...new Set(r.endpointIds)];
  const id = ctx.random.uuid();
  const created = await ctx.db.transaction(async (tx) => {
    await disableJit(tx);
    await lockCampaign(tx, campaignId);
    await requireCampaign(tx, campaignId);
    const endpoints = await findModelEndpoints(tx, endpointIds);
    const missing = endpointIds.filter((e) => !endpoints.some((x) => x.id === e));
    if (missing.length) throw new AppError('VALIDATION_FAILED', `No such model endpoint: ${missing.join(', ')} (it may have been deleted).`, { missing });
    const promptIds = await findJobPrompts(tx, campaignId, r.promptIds);
    if (r.promptIds && promptIds.length < new Set(r.promptIds).size) {
      throw new AppError('VALIDATION_FAILED', 'Some promptIds are not published prompts of this campaign: list only its own prompts.');
    }
    if (promptIds.length === 0) {
      throw new AppError(
        'VALIDATION_FAILED',
        'No prompt of this campaign awaits responses outside a job: import prompts first, or list the promptIds to answer again ' +
          '(prompts already in a job that is running or paused are left out; cancel that job to start them again).',
      );
    }
    const total = promptIds.length * endpointIds.length * r.samples;
    if (total > MAX_JOB_ITEMS) {
      throw new AppError('VALIDATION_FAILED', `The job would make ${total} requests, over the limit of ${MAX_JOB_ITEMS}: choose fewer prompts, endpoints or samples.`);
    }
    // The import's per-prompt cap holds for generated responses too: those a prompt has, those open jobs
    // will add, and this job's endpoints x samples.
    const perPrompt = endpointIds.length * r.samples;
    const { maxResponsesPerPrompt } = ctx.config.import;
    const existing = await countPromptResponses(tx, promptIds);
    const over = promptIds.filter((p) => (existing.get(p) ?? 0) + perPrompt > maxResponsesPerPrompt);
    if (over.length > 0) {
      const most = Math.max(...over.map((p) => existing.get(p) ?? 0));
      throw new AppError(
        'VALIDATION_FAILED',
        `${perPrompt} responses per prompt (${endpointIds.length} endpoints x ${r.samples} samples)` +
          (most > 0 ? ` on top of up to ${most} a prompt already has or awaits` : '') +
          ` would exceed the limit of ${maxResponsesPerPrompt} responses per prompt (IMPORT_MAX_RESPONSES_PER_PROMPT) for ${over.length} prompt(s): ` +
          'choose fewer endpoints or samples, or raise the limit.',
        { limit: maxResponsesPerPrompt, perPrompt, promptIds: over.slice(0, 20) },
      );
    }
    const options: JobOptions = {
      emptyResponses: r.emptyResponses,
      truncated: r.truncated,
      endpoints: endpoints.map((e) => ({ id: e.id, name: e.name, model: e.model })),
    };
    const createdById = actor === 'system' ? null : actor.user.id;
    await insertJob(tx, { id, campaignId, createdById, samples: r.samples, params: r.params, options, promptIds, endpointIds });
    await recordAuditEvent(ctx, tx, actor, {
      action: 'generation-job.create',
      target: { type: 'generation-job', id },
      campaignId,
      after: { endpoints: options.endpoints, samples: r.samples, params: r.params, prompts: promptIds.length, items: total },
    });
    return { id };
  });
  return created;
}

export type JobAction = 'pause' | 'resume' | 'cancel' | 'retry-failed';

const TRANSITIONS: Record<Exclude<JobAction, 'retry-failed'>, { from: string[]; to: string }> = {
  pause: { from: ['QUEUED', 'RUNNING'], to: 'PAUSED' },
  resume: { from: ['PAUSED'], to: 'RUNNING' },
  cancel: { from: ['QUEUED', 'RUNNING', 'PAUSED'], to: 'CANCELLED' },
};

/**
 * pause: no new requests (those in flight finish); resume; cancel: open items are dropped, prompts that
 * already have two responses publish; retry-failed: failed items go back to the queue (a finished job runs again).
 */
export async function controlGenerationJob(ctx: ServiceContext, actor: AuditActor, id: string, action: JobAction): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const job = await requireJob(tx, id);
    let changed: number | boolean;
    if (action === 'retry-failed') {
      if (job.status === 'CANCELLED') throw new AppError('GENERATION_JOB_STATE', 'This job was cancelled: start a new job instead.');
      changed = await requeueFailedItems(tx, id);
      if (changed === 0) throw new AppError('GENERATION_JOB_STATE', 'This job has no failed item to retry.');
      if (job.status === 'DONE') await setJobStatus(tx, id, ['DONE'], 'RUNNING');
    } else {
      const { from, to } = TRANSITIONS[action];
      if (!from.includes(job.status)) {
        const done = { pause: 'paused', resume: 'resumed', cancel: 'cancelled' }[action];
        throw new AppError('GENERATION_JOB_STATE', `A ${job.status.toLowerCase()} job cannot be ${done}.`, { status: job.status });
      }
      changed = await setJobStatus(tx, id, from, to);
      if (action === 'cancel') {
        await cancelOpenItems(tx, id);
        const campaign = campaignPairingOf(await requireCampaign(tx, job.campaignId));
        await publishSettledPrompts(tx, await findUnpublishedImports(tx, id), () => campaign);
      }
    }
    await recordAuditEvent(ctx, tx, actor, {
      action: `generation-job.${action}`,
      target: { type: 'generation-job', id },
      campaignId: job.campaignId,
      before: { status: job.status },
      after: action === 'retry-failed' ? { requeued: changed } : { status: TRANSITIONS[action].to },
    });
  });
}

