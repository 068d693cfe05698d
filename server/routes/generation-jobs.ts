// Generation jobs (admin): start one for a campaign, watch its progress, pause, resume, cancel, retry failed items.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ZCampaignIdParamsSchema } from '../contract/campaign';
import {
  ZCreateGenerationJobQuerySchema,
  ZCreateGenerationJobRequestSchema,
  ZCreatedGenerationJobSchema,
  ZGenerationJobPlanSchema,
  ZGenerationJobIdParamsSchema,
  ZGenerationJobListSchema,
  ZGenerationJobSchema,
} from '../contract/generation';
import { requireAuth } from '../plugins/auth';
import { requireCampaign } from '../services/campaigns/campaign-view';
import { getGenerationJob, listGenerationJobs } from '../services/generation/job-view';
import { controlGenerationJob, createGenerationJob, planGenerationJob, type JobAction } from '../services/generation/manage-generation-job';

const tags = ['generation'];
const ACTIONS: Record<JobAction, string> = {
  pause: 'Pause: no new requests; those in flight finish',
  resume: 'Resume a paused job',
  cancel: 'Cancel: open items are dropped; prompts with two responses already publish',
  'retry-failed': 'Send the failed items again (a finished job runs again)',
};

export const generationJobsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/campaigns/:id/generation-jobs',
    {
      config: { access: 'admin' },
      schema: {
        tags,
        summary: "Generate responses: the campaign's prompts awaiting responses (or promptIds) x endpoints x samples",
        description:
          '?dryRun=true checks the job the same way, stores nothing, and answers 200 with what it would make: responses and ' +
          "comparisons (or ranking tasks) per prompt by the campaign's pairing rule, and whether that is large.",
        params: ZCampaignIdParamsSchema,
        querystring: ZCreateGenerationJobQuerySchema,
        body: ZCreateGenerationJobRequestSchema,
        response: { 200: ZGenerationJobPlanSchema, 201: ZCreatedGenerationJobSchema },
      },
    },
    async (request, reply) => {
      if (request.query.dryRun) return reply.status(200).send(await planGenerationJob(app.ctx, request.params.id, request.body));
      return reply.status(201).send(await createGenerationJob(app.ctx, requireAuth(request), request.params.id, request.body));
    },
  );

  app.get(
    '/campaigns/:id/generation-jobs',
    { config: { access: 'admin' }, schema: { tags, summary: "The campaign's latest generation jobs with their progress", params: ZCampaignIdParamsSchema, response: { 200: ZGenerationJobListSchema } } },
    async (request) => {
      await requireCampaign(app.ctx.db, request.params.id);
      return { jobs: await listGenerationJobs(app.ctx, request.params.id) };
    },
  );

  app.get(
    '/generation-jobs/:id',
    { config: { access: 'admin' }, schema: { tags, summary: 'Progress: status, done/failed/total, tokens, rate, time left, failures', params: ZGenerationJobIdParamsSchema, response: { 200: ZGenerationJobSchema } } },
    async (request, reply) => reply.header('cache-control', 'no-store').send(await getGenerationJob(app.ctx, request.params.id)),
  );

  for (const [action, summary] of Object.entries(ACTIONS) as [JobAction, string][]) {
    app.post(
      `/generation-jobs/:id/${action}`,
      { config: { access: 'admin' }, schema: { tags, summary, params: ZGenerationJobIdParamsSchema, response: { 200: ZGenerationJobSchema } } },
      async (request) => {
        await controlGenerationJob(app.ctx, requireAuth(request), request.params.id, action);
        return getGenerationJob(app.ctx, request.params.id);
      },
    );
  }
};
