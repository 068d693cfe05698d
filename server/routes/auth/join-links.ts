// Campaign join links: the admin's link (read, make, revoke) and the public join page's requests.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ZIdParamsSchema } from '../../contract/auth';
import {
  ZCampaignJoinLinkResponseSchema,
  ZCreateJoinLinkRequestSchema,
  ZJoinLinkInfoSchema,
  ZJoinRequestSchema,
  ZJoinResponseSchema,
  ZJoinTokenParamsSchema,
} from '../../contract/join-links';
import { requireAuth } from '../../plugins/auth';
import { describeJoinLink, joinWithPassword } from '../../services/join-links/join-campaign';
import { createJoinLink, getCampaignJoinLink, revokeJoinLink } from '../../services/join-links/manage-join-link';
import { clientInfo, PASSWORD_ROUTE_LIMIT, setSessionCookie } from './session';

export const joinLinksRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ctx } = app;
  const secure = ctx.config.session.secureCookie;
  const tags = ['auth'];

  app.get(
    '/campaigns/:id/join-link',
    {
      config: { access: 'admin' },
      schema: { tags, summary: "The campaign's latest join link, open or not, with its counts (null: none made yet)", params: ZIdParamsSchema, response: { 200: ZCampaignJoinLinkResponseSchema } },
    },
    async (request) => getCampaignJoinLink(ctx, request.params.id),
  );

  app.post(
    '/campaigns/:id/join-link',
    {
      // A join link lets people make accounts: only a logged-in admin, never a token that may outlive its owner's intent.
      config: { access: 'admin', sessionOnly: true },
      schema: {
        tags,
        summary: "Make the campaign's shareable join link (a cap on uses, an expiry); it replaces the open one, which stops working",
        params: ZIdParamsSchema,
        body: ZCreateJoinLinkRequestSchema,
        response: { 201: ZCampaignJoinLinkResponseSchema },
      },
    },
    async (request, reply) => reply.status(201).send(await createJoinLink(ctx, requireAuth(request), request.params.id, request.body)),
  );

  app.delete(
    '/campaigns/:id/join-link',
    {
      config: { access: 'admin' },
      schema: { tags, summary: "Revoke the campaign's open join link: nobody else joins through it", params: ZIdParamsSchema, response: { 200: ZCampaignJoinLinkResponseSchema } },
    },
    async (request) => revokeJoinLink(ctx, requireAuth(request), request.params.id),
  );

  app.get(
    '/join/:token',
    {
      config: { access: 'public' },
      schema: { tags, summary: 'Which campaign a join link is for (410 when used up, expired, revoked or replaced)', params: ZJoinTokenParamsSchema, response: { 200: ZJoinLinkInfoSchema } },
    },
    async (request) => describeJoinLink(ctx, request.params.token),
  );

  app.post(
    '/join/:token',
    {
      config: { access: 'public', rateLimit: PASSWORD_ROUTE_LIMIT },
      schema: {
        tags,
        summary: "Join the link's campaign as a rater: with a new account, or an existing one and its password; logs in",
        params: ZJoinTokenParamsSchema,
        body: ZJoinRequestSchema,
        response: { 200: ZJoinResponseSchema },
      },
    },
    async (request, reply) => {
      const { session, me, campaignId } = await joinWithPassword(ctx, request.params.token, request.body, clientInfo(request));
      setSessionCookie(reply, session, secure);
      return { ...me, campaignId };
    },
  );
};
