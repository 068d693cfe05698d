// Results (admin): the campaign's stats dashboard, its rater table and rater pairs, and rater exclusion.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ZCampaignIdParamsSchema } from '../contract/campaign';
import {
  ZCampaignStatsSchema,
  ZExclusionRequestSchema,
  ZExclusionResponseSchema,
  ZRaterPairsResponseSchema,
  ZRaterParamsSchema,
  ZRatersResponseSchema,
  ZStatsQuerySchema,
} from '../contract/stats';
import { requireAuth } from '../plugins/auth';
import { setRaterExclusion } from '../services/members/set-rater-exclusion';
import { computeCampaignStats } from '../services/stats/compute-campaign-stats';
import { listCampaignRaters } from '../services/stats/list-campaign-raters';
import { listRaterPairs } from '../services/stats/list-rater-pairs';

const tags = ['stats'];

export const statsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/campaigns/:id/stats',
    {
      config: { access: 'admin', scope: 'stats:read' },
      schema: {
        tags,
        summary: 'Progress, agreement, leaderboard, win rates and rater quality of a campaign',
        params: ZCampaignIdParamsSchema,
        querystring: ZStatsQuerySchema,
        response: { 200: ZCampaignStatsSchema },
      },
    },
    async (request) => computeCampaignStats(app.ctx, request.params.id, request.query),
  );

  app.get(
    '/campaigns/:id/raters',
    {
      config: { access: 'admin', scope: 'stats:read' },
      schema: { tags, summary: 'Rater quality figures and review marks', params: ZCampaignIdParamsSchema, response: { 200: ZRatersResponseSchema } },
    },
    async (request) => ({ raters: await listCampaignRaters(app.ctx, request.params.id) }),
  );

  app.get(
    '/campaigns/:id/rater-pairs',
    {
      config: { access: 'admin', scope: 'stats:read' },
      schema: {
        tags,
        summary: "Cohen's kappa of every pair of raters sharing at least 20 comparisons, the least agreeing first",
        params: ZCampaignIdParamsSchema,
        response: { 200: ZRaterPairsResponseSchema },
      },
    },
    async (request) => ({ pairs: await listRaterPairs(app.ctx, request.params.id) }),
  );

  for (const action of ['exclude', 'include'] as const) {
    app.post(
      `/campaigns/:id/raters/:userId/${action}`,
      {
        config: { access: 'admin' },
        schema: {
          tags,
          summary:
            action === 'exclude'
              ? "Exclude a rater: their judgments leave stats and exports and their comparisons reopen (recorded, reversible)"
              : 'Include an excluded rater again',
          params: ZRaterParamsSchema,
          body: ZExclusionRequestSchema,
          response: { 200: ZExclusionResponseSchema },
        },
      },
      async (request) =>
        setRaterExclusion(app.ctx, {
          campaignId: request.params.id,
          raterId: request.params.userId,
          excluded: action === 'exclude',
          actor: requireAuth(request),
          reason: request.body.reason ?? null,
        }),
    );
  }
};
