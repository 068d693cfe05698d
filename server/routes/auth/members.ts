// Campaign membership: who may rate in a campaign, and who reviews it.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ZAddCampaignMemberRequestSchema, ZCampaignMemberListSchema, ZCampaignMemberSchema, ZIdParamsSchema } from '../../contract/auth';
import { ZCampaignReviewerListSchema, ZCampaignReviewerSchema, ZCampaignUserParamsSchema, ZSetCampaignReviewerRequestSchema } from '../../contract/team';
import { z } from 'zod';
import { requireAuth } from '../../plugins/auth';
import { addCampaignMember } from '../../services/members/add-campaign-member';
import { listCampaignReviewers, removeCampaignReviewer, setCampaignReviewer } from '../../services/members/campaign-reviewers';
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

  app.post(
    '/campaigns/:id/reviewers',
    {
      // Granting sight of a campaign's answers is for a logged-in admin, never a script.
      config: { access: 'admin', sessionOnly: true },
      schema: {
        tags,
        summary: "Make a rater account a reviewer of the campaign (explorer, flags, adjudication; exports when canExport), or change canExport",
        params: ZIdParamsSchema,
        body: ZSetCampaignReviewerRequestSchema,
        response: { 200: ZCampaignReviewerSchema },
      },
    },
    async (request) => setCampaignReviewer(ctx, requireAuth(request), request.params.id, request.body),
  );

  app.get(
    '/campaigns/:id/reviewers',
    {
      config: { access: 'admin' },
      schema: { tags, summary: 'The reviewers of a campaign', params: ZIdParamsSchema, response: { 200: ZCampaignReviewerListSchema } },
    },
    async (request) => ({ reviewers: await listCampaignReviewers(ctx, request.params.id) }),
  );

  app.delete(
    '/campaigns/:id/reviewers/:userId',
    {
      config: { access: 'admin', sessionOnly: true },
      schema: { tags, summary: 'Stop an account reviewing the campaign', params: ZCampaignUserParamsSchema, response: { 204: z.null() } },
    },
    async (request, reply) => {
      await removeCampaignReviewer(ctx, requireAuth(request), request.params.id, request.params.userId);
      return reply.status(204).send(null);
    },
  );
};
