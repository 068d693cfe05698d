// Review (admin): the comparisons explorer and one comparison with its judgments and flags.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ZCampaignIdParamsSchema } from '../contract/campaign';
import { ZComparisonDetailSchema, ZComparisonIdParamsSchema, ZComparisonListQuerySchema, ZComparisonListSchema } from '../contract/review';
import type { Access } from '../plugins/auth';
import { getComparison } from '../services/review/get-comparison';
import { listComparisons } from '../services/review/list-comparisons';

const tags = ['review'];
/** Who may review: admins this round; the campaign reviewer role (DESIGN.md) widens this one declaration. */
export const REVIEW_ACCESS: Access = 'admin';

export const reviewRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/campaigns/:id/comparisons',
    {
      config: { access: REVIEW_ACCESS },
      schema: {
        tags,
        summary: 'Comparisons of a campaign, filtered, newest activity or most disputed first, in keyset pages',
        params: ZCampaignIdParamsSchema,
        querystring: ZComparisonListQuerySchema,
        response: { 200: ZComparisonListSchema },
      },
    },
    async (request) => listComparisons(app.ctx, request.params.id, request.query),
  );

  app.get(
    '/comparisons/:id',
    {
      config: { access: REVIEW_ACCESS },
      schema: {
        tags,
        summary: 'One comparison: prompt, both responses with their models, every judgment (undone and excluded ones marked) and flag',
        params: ZComparisonIdParamsSchema,
        response: { 200: ZComparisonDetailSchema },
      },
    },
    async (request) => getComparison(app.ctx, request.params.id),
  );
};
