// Campaigns (admin): create, list, view with counts, edit.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  ZCampaignIdParamsSchema,
  ZCampaignListResponseSchema,
  ZCampaignSchema,
  ZCreateCampaignRequestSchema,
  ZUpdateCampaignRequestSchema,
  ZUpdateCampaignResponseSchema,
} from '../contract/campaign';
import { requireAuth } from '../plugins/auth';
import { createCampaign } from '../services/campaigns/create-campaign';
import { getCampaign } from '../services/campaigns/get-campaign';
import { listCampaigns } from '../services/campaigns/list-campaigns';
import { updateCampaign } from '../services/campaigns/update-campaign';

const tags = ['campaigns'];

export const campaignsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/campaigns',
    {
      config: { access: 'admin' },
      schema: { tags, summary: 'Create a campaign (a name alone is enough)', body: ZCreateCampaignRequestSchema, response: { 201: ZCampaignSchema } },
    },
    async (request, reply) => reply.status(201).send(await createCampaign(app.ctx, requireAuth(request), request.body)),
  );

  app.get(
    '/campaigns',
    { config: { access: 'admin' }, schema: { tags, summary: 'All campaigns with their counts', response: { 200: ZCampaignListResponseSchema } } },
    async () => ({ campaigns: await listCampaigns(app.ctx) }),
  );

  app.get(
    '/campaigns/:id',
    {
      config: { access: 'admin' },
      schema: { tags, summary: 'One campaign with its counts', params: ZCampaignIdParamsSchema, response: { 200: ZCampaignSchema } },
    },
    async (request) => getCampaign(app.ctx, request.params.id),
  );

  app.patch(
    '/campaigns/:id',
    {
      config: { access: 'admin' },
      schema: {
        tags,
        summary: 'Edit a campaign; a guideline change after judgments starts a new guideline version',
        params: ZCampaignIdParamsSchema,
        body: ZUpdateCampaignRequestSchema,
        response: { 200: ZUpdateCampaignResponseSchema },
      },
    },
    async (request) => updateCampaign(app.ctx, requireAuth(request), request.params.id, request.body),
  );
};
