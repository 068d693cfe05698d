// The campaign brief a rater reads before rating (the admin's GET /api/campaigns/:id is not for raters).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ZCampaignParamsSchema } from '../contract/rater';
import { ZCampaignBriefSchema } from '../contract/rater-brief';
import { requireAuth } from '../plugins/auth';
import { getCampaignBrief } from '../services/rating/get-campaign-brief';

export const raterBriefRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/campaigns/:id/brief',
    {
      config: { access: 'user' },
      schema: {
        tags: ['rater'],
        summary: "The campaign's name, content warning, instructions and task design, for its raters (403 NOT_A_MEMBER otherwise)",
        params: ZCampaignParamsSchema,
        response: { 200: ZCampaignBriefSchema },
      },
    },
    async (request) => getCampaignBrief(app.ctx, requireAuth(request).user.id, request.params.id),
  );
};
