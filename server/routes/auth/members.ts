// Campaign membership: who may rate in a campaign.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ZAddCampaignMemberRequestSchema, ZCampaignMemberListSchema, ZCampaignMemberSchema, ZIdParamsSchema } from '../../contract/auth';
import { requireAuth } from '../../plugins/auth';
import { addCampaignMember } from '../../services/members/add-campaign-member';
import { listCampaignMembers } from '../../services/members/list-campaign-members';

export const membersRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ctx } = app;
  const tags = ['auth'];

  app.post(
    '/campaigns/:id/members',
    {
      config: { access: 'admin' },
      schema: {
        tags,
        summary: 'Add an existing user (an admin too) to the raters of a campaign',
        params: ZIdParamsSchema,
        body: ZAddCampaignMemberRequestSchema,
        response: { 200: ZCampaignMemberSchema },
      },
    },
    async (request) => addCampaignMember(ctx, requireAuth(request), request.params.id, request.body.userId),
  );

  app.get(
    '/campaigns/:id/members',
    {
      config: { access: 'admin' },
      schema: { tags, summary: 'The raters of a campaign, in the order they joined', params: ZIdParamsSchema, response: { 200: ZCampaignMemberListSchema } },
    },
    async (request) => ({ members: await listCampaignMembers(ctx, request.params.id) }),
  );
};
