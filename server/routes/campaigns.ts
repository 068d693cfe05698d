// Campaigns (admin): create, list, view with counts, edit (settings and status), delete. Any API token may read
// the campaigns it reaches (a script finds its campaign's id and status); changing them needs campaigns:write.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  ZCampaignIdParamsSchema,
  ZCampaignListQuerySchema,
  ZCampaignListResponseSchema,
  ZCampaignSchema,
  ZCreateCampaignRequestSchema,
  ZUpdateCampaignRequestSchema,
  ZUpdateCampaignResponseSchema,
} from '../contract/campaign';
import { mayReachCampaign, requireAuth } from '../plugins/auth';
import { createCampaign } from '../services/campaigns/create-campaign';
import { deleteCampaign } from '../services/campaigns/delete-campaign';
import { getCampaign } from '../services/campaigns/get-campaign';
import { listCampaigns } from '../services/campaigns/list-campaigns';
import { updateCampaign } from '../services/campaigns/update-campaign';

const tags = ['campaigns'];

export const campaignsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/campaigns',
    {
      config: { access: 'admin', scope: 'campaigns:write' },
      schema: { tags, summary: 'Create a campaign (a name alone is enough; it starts as a draft)', body: ZCreateCampaignRequestSchema, response: { 201: ZCampaignSchema } },
    },
    async (request, reply) => reply.status(201).send(await createCampaign(app.ctx, requireAuth(request), request.body)),
  );

  app.get(
    '/campaigns',
    {
      config: { access: 'admin', scope: 'any', campaignOf: 'filtered' },
      schema: {
        tags,
        summary: 'The campaigns with their counts (archived ones with ?archived=true)',
        querystring: ZCampaignListQuerySchema,
        response: { 200: ZCampaignListResponseSchema },
      },
    },
    async (request) => {
      const auth = requireAuth(request);
      const campaigns = await listCampaigns(app.ctx, { includeArchived: request.query.archived });
      return { campaigns: campaigns.filter((c) => mayReachCampaign(auth, c.id)) };
    },
  );

  app.get(
    '/campaigns/:id',
    {
      // Its reviewers read it too (instructions and design to read judgments by); changing it stays with admins.
      config: { access: 'reviewer', scope: 'any' },
      schema: { tags, summary: 'One campaign with its counts (admins and its reviewers)', params: ZCampaignIdParamsSchema, response: { 200: ZCampaignSchema } },
    },
    async (request) => getCampaign(app.ctx, request.params.id),
  );

  app.patch(
    '/campaigns/:id',
    {
      config: { access: 'admin', scope: 'campaigns:write' },
      schema: {
        tags,
        summary:
          'Edit a campaign or change its status (draft -> active <-> paused, any -> archived, archived -> paused); ' +
          'a guideline change after judgments starts a new guideline version',
        params: ZCampaignIdParamsSchema,
        body: ZUpdateCampaignRequestSchema,
        response: { 200: ZUpdateCampaignResponseSchema },
      },
    },
    async (request) => updateCampaign(app.ctx, requireAuth(request), request.params.id, request.body),
  );

  app.delete(
    '/campaigns/:id',
    {
      config: { access: 'admin', scope: 'campaigns:write' },
      schema: {
        tags,
        summary: 'Delete a draft or archived campaign and all its data (answers once every row is gone)',
        params: ZCampaignIdParamsSchema,
        response: { 204: z.null().describe('Deleted') },
      },
    },
    async (request, reply) => {
      await deleteCampaign(app.ctx, requireAuth(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
};
