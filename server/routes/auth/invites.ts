// Invite links: an admin creates one; anyone holding it reads what it is for and accepts it.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  ZAcceptInviteRequestSchema,
  ZCreateInviteRequestSchema,
  ZCreateInviteResponseSchema,
  ZInviteInfoSchema,
  ZInviteTokenParamsSchema,
  ZMeResponseSchema,
  type TCreateInviteRequest,
} from '../../contract/auth';
import { requireAuth } from '../../plugins/auth';
import { acceptInvite } from '../../services/auth/accept-invite';
import { createInvite } from '../../services/auth/create-invite';
import { describeInvite } from '../../services/auth/describe-invite';
import { clientInfo, PASSWORD_ROUTE_LIMIT, setSessionCookie } from './session';

export const invitesRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ctx } = app;
  const secure = ctx.config.session.secureCookie;
  const tags = ['auth'];

  app.post(
    '/invites',
    {
      // A token may invite raters; an admin invite would give its holder an account that outlives the token.
      config: { access: 'admin', sessionOnly: (request) => (request.body as TCreateInviteRequest).role === 'ADMIN' },
      schema: { tags, summary: 'Create a single-use invite link', body: ZCreateInviteRequestSchema, response: { 201: ZCreateInviteResponseSchema } },
    },
    async (request, reply) => reply.status(201).send(await createInvite(ctx, requireAuth(request), request.body)),
  );

  app.get(
    '/invites/:token',
    {
      config: { access: 'public' },
      schema: { tags, summary: 'What an invite (or the setup link) is for', params: ZInviteTokenParamsSchema, response: { 200: ZInviteInfoSchema } },
    },
    async (request) => describeInvite(ctx, request.params.token),
  );

  app.post(
    '/invites/:token/accept',
    {
      config: { access: 'public', rateLimit: PASSWORD_ROUTE_LIMIT },
      schema: {
        tags,
        summary: 'Accept an invite: creates the account (or joins an existing one) and logs in',
        params: ZInviteTokenParamsSchema,
        body: ZAcceptInviteRequestSchema,
        response: { 200: ZMeResponseSchema },
      },
    },
    async (request, reply) => {
      const { session, me } = await acceptInvite(ctx, request.params.token, request.body, clientInfo(request));
      setSessionCookie(reply, session, secure);
      return me;
    },
  );
};
