// Accounts and access: login/logout/me, invites, API tokens, users and campaign membership.
import rateLimit from '@fastify/rate-limit';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  ZAcceptInviteRequestSchema,
  ZAddCampaignMemberRequestSchema,
  ZApiTokenListSchema,
  ZApiTokenSchema,
  ZCampaignMemberListSchema,
  ZCampaignMemberSchema,
  ZCreateApiTokenRequestSchema,
  ZCreateApiTokenResponseSchema,
  ZCreateInviteRequestSchema,
  ZCreateInviteResponseSchema,
  ZIdParamsSchema,
  ZInviteInfoSchema,
  ZInviteTokenParamsSchema,
  ZLoginRequestSchema,
  ZMeResponseSchema,
  ZUserListItemSchema,
  ZUserListSchema,
} from '../contract/auth';
import { AppError } from '../errors';
import { requireAuth, SESSION_COOKIE } from '../plugins/auth';
import { acceptInvite } from '../services/auth/accept-invite';
import { addCampaignMember } from '../services/auth/add-campaign-member';
import { createApiToken } from '../services/auth/create-api-token';
import { createInvite } from '../services/auth/create-invite';
import { describeInvite } from '../services/auth/describe-invite';
import { getMe } from '../services/auth/get-me';
import { listCampaignMembers } from '../services/auth/list-campaign-members';
import { listApiTokens } from '../services/auth/list-api-tokens';
import { listUsers } from '../services/auth/list-users';
import { login } from '../services/auth/login';
import { logout } from '../services/auth/logout';
import { revokeApiToken } from '../services/auth/revoke-api-token';
import { activateUser, deactivateUser } from '../services/auth/set-user-active';
import type { ClientInfo, NewSession } from '../services/auth/start-session';

/** Per client address and instance; the per-account limit (shared by all instances) is in the service. */
const PASSWORD_ROUTE_LIMIT = { max: 20, timeWindow: '1 minute' };

function clientInfo(request: FastifyRequest): ClientInfo {
  return { ip: request.ip ?? null, userAgent: request.headers['user-agent'] ?? null };
}

/** For routes a leaked API token must not reach (minting tokens): refused before the body is read. */
async function refuseApiTokens(request: FastifyRequest): Promise<void> {
  if (request.auth?.via === 'token') throw new AppError('FORBIDDEN', 'API tokens cannot do this; log in to the web app.');
}

function setSessionCookie(reply: FastifyReply, session: NewSession, secure: boolean): void {
  // Lax: the cookie rides along when a rater follows a link to us, not on other sites' form posts.
  reply.setCookie(SESSION_COOKIE, session.token, { httpOnly: true, sameSite: 'lax', secure, path: '/', expires: session.expiresAt });
}

export const authRoutes: FastifyPluginAsyncZod = async (app) => {
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_request, context) =>
      new AppError('RATE_LIMITED', `Too many attempts from your address; try again in ${Math.ceil(context.ttl / 1000)} seconds.`, {
        retryAfterSeconds: Math.ceil(context.ttl / 1000),
      }),
  });
  const { ctx } = app;
  const secure = ctx.config.session.secureCookie;
  const tags = ['auth'];

  app.post(
    '/auth/login',
    {
      config: { access: 'public', rateLimit: PASSWORD_ROUTE_LIMIT },
      schema: { tags, summary: 'Log in; sets the session cookie', body: ZLoginRequestSchema, response: { 200: ZMeResponseSchema } },
    },
    async (request, reply) => {
      const { session, me } = await login(ctx, request.body, clientInfo(request), request.cookies[SESSION_COOKIE]);
      setSessionCookie(reply, session, secure);
      return me;
    },
  );

  app.post(
    '/auth/logout',
    { config: { access: 'public' }, schema: { tags, summary: 'Log out: revokes the session and clears the cookie' } },
    async (request, reply) => {
      await logout(ctx, request.auth);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send();
    },
  );

  app.get(
    '/me',
    { config: { access: 'user' }, schema: { tags, summary: 'The caller and the campaigns they may rate', response: { 200: ZMeResponseSchema } } },
    async (request) => getMe(ctx, requireAuth(request).user),
  );

  app.post(
    '/invites',
    {
      config: { access: 'admin' },
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

  app.post(
    '/tokens',
    {
      config: { access: 'admin' },
      // A leaked token must not be able to mint tokens that outlive its own revocation.
      onRequest: refuseApiTokens,
      schema: {
        tags,
        summary: 'Create an API token (shown once; from a logged-in session only)',
        body: ZCreateApiTokenRequestSchema,
        response: { 201: ZCreateApiTokenResponseSchema },
      },
    },
    async (request, reply) => reply.status(201).send(await createApiToken(ctx, requireAuth(request), request.body)),
  );

  app.get(
    '/tokens',
    { config: { access: 'admin' }, schema: { tags, summary: "Every admin's API tokens", response: { 200: ZApiTokenListSchema } } },
    async () => ({ tokens: await listApiTokens(ctx) }),
  );

  app.delete(
    '/tokens/:id',
    { config: { access: 'admin' }, schema: { tags, summary: 'Revoke an API token', params: ZIdParamsSchema, response: { 200: ZApiTokenSchema } } },
    async (request) => revokeApiToken(ctx, requireAuth(request), request.params.id),
  );

  app.get(
    '/users',
    { config: { access: 'admin' }, schema: { tags, summary: 'All accounts', response: { 200: ZUserListSchema } } },
    async () => ({ users: await listUsers(ctx) }),
  );

  app.post(
    '/users/:id/deactivate',
    {
      config: { access: 'admin' },
      schema: { tags, summary: 'Deactivate an account; its sessions and tokens stop working at once', params: ZIdParamsSchema, response: { 200: ZUserListItemSchema } },
    },
    async (request) => deactivateUser(ctx, requireAuth(request), request.params.id),
  );

  app.post(
    '/users/:id/activate',
    { config: { access: 'admin' }, schema: { tags, summary: 'Reactivate an account', params: ZIdParamsSchema, response: { 200: ZUserListItemSchema } } },
    async (request) => activateUser(ctx, requireAuth(request), request.params.id),
  );

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
