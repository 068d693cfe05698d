// Starting a generation job, and pausing, resuming, cancelling it or retrying its failed items.
// Every action is recorded in the audit trail in its own transaction.
import { LARGE_TASKS_PER_PROMPT, ZCreateGenerationJobRequestSchema, type TCreateGenerationJobRequest, type TGenerationJobPlan } from '../../contract/generation';
import type { Db } from '../../db/handle';
import { lockCampaign, type CampaignRow } from '../../db/repositories/campaigns';
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
import { findModelEndpoints, type ModelEndpointRow } from '../../db/repositories/model-endpoints';
import { AppError } from '../../errors';
import { recordAuditEvent, type AuditActor } from '../audit/record-audit-event';
import { requireCampaign } from '../campaigns/campaign-view';
import type { ServiceContext } from '../context';
import { requireJob, type JobOptions } from './job-view';
import { campaignPairingOf, newPromptTasks, publishSettledPrompts } from './publish-prompts';

/** Items one job may hold: beyond this, split the prompt set (each item is a row and a request). */
export const MAX_JOB_ITEMS = 1_000_000;

/** A job request checked against the campaign as its creation checks it: what creating and planning it need. */
interface CheckedJob {
  campaign: CampaignRow;
  endpoints: ModelEndpointRow[];
  promptIds: number[];
  /** Requests: prompts x endpoints x samples. */
  total: number;
  /** This job's responses per prompt. */
  perPrompt: number;
  /** Responses each prompt has or open jobs will add (prompts with none are missing). */
  existing: Map<number, number>;
}

async function checkGenerationJob(ctx: ServiceContext, tx: Db, campaignId: string, r: TCreateGenerationJobRequest & { samples: number }, endpointIds: string[]): Promise<CheckedJob> {
  await disableJit(tx);
  await lockCampaign(tx, campaignId);
  const campaign = await requireCampaign(tx, campaignId);
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
  return { campaign, endpoints, promptIds, total, perPrompt, existing };
}

export async function createGenerationJob(ctx: ServiceContext, actor: AuditActor, campaignId: string, request: TCreateGenerationJobRequest): Promise<{ id: string }> {
  const r = ZCreateGenerationJobRequestSchema.parse(request);
  const endpointIds = [...new Set(r.endpointIds)];
  const id = ctx.random.uuid();
  const created = await ctx.db.transaction(async (tx) => {
    const { endpoints, promptIds, total } = await checkGenerationJob(ctx, tx, campaignId, r, endpointIds);
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

/**
 * The dry run of createGenerationJob: the same checks (a job it refuses is refused here too, with the same
 * error), nothing stored, and what the job would make. Tasks are counted by the rule its prompts are published
 * with (newPromptTasks over the prompt's responses once the job is done), once per number of responses a
 * prompt already has; the new texts are taken to differ (identical ones make no pair), so the counts are at most.
 * Earlier responses count by number, not model: under a reference pairing they are taken as other models'.
 */
export async function planGenerationJob(ctx: ServiceContext, campaignId: string, request: TCreateGenerationJobRequest): Promise<TGenerationJobPlan> {
  const r = ZCreateGenerationJobRequestSchema.parse(request);
  const endpointIds = [...new Set(r.endpointIds)];
  const job = await ctx.db.transaction((tx) => checkGenerationJob(ctx, tx, campaignId, r, endpointIds));
  const pairing = campaignPairingOf(job.campaign);
  const fresh = job.endpoints.flatMap((e) => Array.from({ length: r.samples }, (_, s) => ({ key: `${e.id}:${s}`, model: e.name, content: `${e.id}:${s}`, isNew: true })));
  const promptsByEarlier = new Map<number, number>();
  for (const p of job.promptIds) {
    const earlier = job.existing.get(p) ?? 0;
    promptsByEarlier.set(earlier, (promptsByEarlier.get(earlier) ?? 0) + 1);
  }
  let tasks = 0;
  const perPrompt: number[] = [];
  for (const [earlier, prompts] of promptsByEarlier) {
    const old = Array.from({ length: earlier }, (_, i) => ({ key: `earlier:${i}`, model: `earlier:${i}`, content: `earlier:${i}`, isNew: false }));
    const responses = [...old, ...fresh];
    const n = responses.length < 2 ? 0 : newPromptTasks(responses, pairing, `plan:${earlier}`).length;
    tasks += n * prompts;
    perPrompt.push(n);
  }
  const earlier = [...promptsByEarlier.keys()];
  const mostPerPrompt = Math.max(...perPrompt);
  return {
    dryRun: true,
    prompts: job.promptIds.length,
    requests: job.total,
    newResponsesPerPrompt: job.perPrompt,
    responsesPerPrompt: { min: Math.min(...earlier) + job.perPrompt, max: Math.max(...earlier) + job.perPrompt },
    taskType: pairing.task.type,
    pairing: pairing.pairing,
    tasksPerPrompt: { min: Math.min(...perPrompt), max: mostPerPrompt },
    tasks,
    votesPerComparison: job.campaign.votesPerComparison,
    large: mostPerPrompt > LARGE_TASKS_PER_PROMPT,
    largeAbove: LARGE_TASKS_PER_PROMPT,
  };
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

