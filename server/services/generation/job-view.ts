// A generation job as the API shows it: status, counts from its items, rate and time left, failures.
import { ZGenerationParamsSchema } from '../../contract/model-endpoints';
import type { TGenerationJob } from '../../contract/generation';
import { findCampaignJobs, findJob, findJobFailures, jobProgress } from '../../db/repositories/generation';
import type { Db } from '../../db/handle';
import { AppError } from '../../errors';
import type { ServiceContext } from '../context';

const FAILURES_SHOWN = 50;

export interface JobOptions {
  emptyResponses: 'skip' | 'keep';
  truncated: 'keep' | 'exclude';
  /** The endpoints as they were when the job started (names and models for the view and the exports). */
  endpoints: { id: string; name: string; model: string }[];
}

export async function requireJob(db: Db, id: string) {
  const job = await findJob(db, id);
  if (!job) throw new AppError('NOT_FOUND', 'No such generation job.');
  return job;
}

export async function getGenerationJob(ctx: ServiceContext, id: string): Promise<TGenerationJob> {
  const db = ctx.db;
  const job = await requireJob(db, id);
  const [progress, failures] = await Promise.all([jobProgress(db, id), findJobFailures(db, id, FAILURES_SHOWN)]);
  const options = job.options as unknown as JobOptions;
  const rate = progress.recent / 60;
  const left = progress.total - progress.done - progress.failed;
  const open = job.status === 'RUNNING' || job.status === 'QUEUED';
  return {
    id: job.id,
    campaignId: job.campaignId,
    status: job.status,
    samples: job.samples,
    endpoints: options.endpoints,
    params: ZGenerationParamsSchema.parse(job.params),
    total: progress.total,
    done: progress.done,
    failed: progress.failed,
    running: progress.running,
    skipped: { empty: progress.empty, truncated: progress.truncatedExcluded },
    truncatedKept: progress.truncatedKept,
    tokensIn: progress.tokensIn,
    tokensOut: progress.tokensOut,
    prompts: progress.prompts,
    promptsPublished: progress.promptsPublished,
    rate: Math.round(rate * 100) / 100,
    eta: open && rate > 0 ? Math.round(left / rate) : null,
    failures: failures.map((f) => ({
      itemId: f.id.toString(),
      promptId: f.promptId,
      promptExternalId: f.promptExternalId,
      endpoint: f.endpoint,
      sample: f.sample,
      attempts: f.attempts,
      message: f.lastError ?? 'failed',
    })),
    createdAt: job.createdAt.toISOString(),
    finishedAt: job.finishedAt?.toISOString() ?? null,
  };
}

export async function listGenerationJobs(ctx: ServiceContext, campaignId: string): Promise<TGenerationJob[]> {
  const jobs = await findCampaignJobs(ctx.db, campaignId);
  return Promise.all(jobs.map((job) => getGenerationJob(ctx, job.id)));
}
