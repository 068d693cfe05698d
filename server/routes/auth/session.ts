// Log in, log out, who am I; and the session-cookie helpers the invite acceptance shares.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ZLoginRequestSchema, ZMeResponseSchema } from '../../contract/auth';
import { requireAuth, SESSION_COOKIE } from '../../plugins/auth';
import { getMe } from '../../services/auth/get-me';
import { login } from '../../services/auth/login';
import { logout } from '../../services/auth/logout';
import type { ClientInfo, NewSession } from '../../services/auth/start-session';

/** Per client address and instance; the per-account limit (shared by all instances) is in the service. */
export const PASSWORD_ROUTE_LIMIT = { max: 20, timeWindow: '1 minute' };

/** Who signs in from where, and the session cookie the browser holds (a sign-in ends that session). */
export function clientInfo(request: FastifyRequest): ClientInfo {
  return { ip: request.ip ?? null, userAgent: request.headers['user-agent'] ?? null, previousSessionToken: request.cookies[SESSION_COOKIE] ?? null };
}

export function setSessionCookie(reply: FastifyReply, session: NewSession, secure: boolean): void {
  // Lax: the cookie rides along when a rater follows a link to us, not on other sites' form posts.
  reply.setCookie(SESSION_COOKIE, session.token, { httpOnly: true, sameSite: 'lax', secure, path: '/', expires: session.expiresAt });
}

export const sessionRoutes: FastifyPluginAsyncZod = async (app) => {
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
      const { session, me } = await login(ctx, request.body, clientInfo(request));
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
    { config: { access: 'user', scope: 'any', campaignOf: 'none' }, schema: { tags, summary: 'The caller and the campaigns they may rate', response: { 200: ZMeResponseSchema } } },
    async (request) => getMe(ctx, requireAuth(request).user),
  );
};
