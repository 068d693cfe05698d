// Single sign-on with OpenID Connect: what the login page offers, the redirect to the provider, and the
// sign-in the login page completes when the provider sends the browser back to it (<PUBLIC_URL>/login?code=...).
// The same flow joins a campaign through its join link (?join=), and links a provider account to the
// logged-in user from the account page (POST /api/me/sso/link; the callback then makes no new session).
// Registered even when SSO is off (they answer 404), so the route-access test sees them.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ZSsoCallbackRequestSchema, ZSsoCallbackResponseSchema, ZSsoInfoSchema, ZSsoLinkStartResponseSchema, ZSsoStartQuerySchema } from '../../contract/sso';
import { AppError } from '../../errors';
import { requireAuth } from '../../plugins/auth';
import type { Auth } from '../../services/auth/authenticate';
import { linkSsoAccount } from '../../services/auth/sso/link-sso-account';
import { OidcClient, type SsoFlow } from '../../services/auth/sso/oidc-client';
import { signInWithSso } from '../../services/auth/sso/sign-in-with-sso';
import { openJoinLink } from '../../services/join-links/join-campaign';
import { clientInfo, PASSWORD_ROUTE_LIMIT, setSessionCookie } from './session';

/** Holds state, nonce and PKCE verifier between the redirect to the provider and the return: ten minutes, this path only. */
const FLOW_COOKIE = 'juxta_sso_flow';
const FLOW_COOKIE_PATH = '/api/auth/sso';
const FLOW_MAX_AGE_SECONDS = 600;

const ZFlowSchema = z.object({
  state: z.string(),
  nonce: z.string(),
  codeVerifier: z.string(),
  next: z.string(),
  purpose: z
    .discriminatedUnion('kind', [
      z.object({ kind: z.literal('sign-in') }),
      z.object({ kind: z.literal('join'), token: z.string() }),
      z.object({ kind: z.literal('link'), userId: z.string() }),
    ])
    .default({ kind: 'sign-in' }),
});

/** Only a path on this site, so a crafted ?next= cannot send the user elsewhere after signing in. */
const safeNext = (next: string | undefined) => (next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : '/');

function readFlow(request: FastifyRequest): SsoFlow {
  const raw = request.cookies[FLOW_COOKIE];
  let flow: unknown = null;
  try {
    flow = raw ? JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) : null;
  } catch {
    flow = null;
  }
  const parsed = ZFlowSchema.safeParse(flow);
  if (!parsed.success) {
    throw new AppError('SSO_FAILED', 'This sign-in was not started in this browser, or took longer than ten minutes. Start again from the login page.', { reason: 'no_flow' });
  }
  return parsed.data;
}

/** A link flow ends only in the session of the user who started it (not another account logged in meanwhile, nor none). */
function linkingUser(auth: Auth | null, userId: string): Auth {
  if (auth?.via !== 'session' || auth.user.id !== userId) {
    throw new AppError('SSO_FAILED', 'Linking was started by another account than the one logged in now. Log in as that account and start again from your account page.', {
      reason: 'link_session',
    });
  }
  return auth;
}

export const ssoRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ctx } = app;
  const sso = ctx.config.sso;
  const client = sso ? new OidcClient(sso) : null;
  const tags = ['auth'];
  const secure = ctx.config.session.secureCookie;
  const off = () => new AppError('NOT_FOUND', 'Single sign-on is off on this server (OIDC_ISSUER_URL is not set).');
  const clearFlow = (reply: FastifyReply) => reply.clearCookie(FLOW_COOKIE, { path: FLOW_COOKIE_PATH });
  // Lax: the cookie comes back with the provider's top-level redirect to /login and the page's same-origin POST.
  const setFlow = (reply: FastifyReply, flow: SsoFlow) =>
    reply.setCookie(FLOW_COOKIE, Buffer.from(JSON.stringify(flow)).toString('base64url'), {
      httpOnly: true,
      sameSite: 'lax',
      secure,
      path: FLOW_COOKIE_PATH,
      maxAge: FLOW_MAX_AGE_SECONDS,
    });

  app.get(
    '/auth/sso',
    { config: { access: 'public' }, schema: { tags, summary: 'Whether single sign-on is on, and its name for the login page (404 when off)', response: { 200: ZSsoInfoSchema } } },
    async () => {
      if (!sso) throw off();
      return { displayName: sso.displayName, passwordLoginAdminsOnly: sso.passwordLoginAdminsOnly };
    },
  );

  app.get(
    '/auth/sso/start',
    {
      config: { access: 'public', rateLimit: PASSWORD_ROUTE_LIMIT },
      schema: { tags, summary: 'Starts a single sign-on: redirects to the provider (authorization code flow with PKCE)', querystring: ZSsoStartQuerySchema },
    },
    async (request, reply) => {
      if (!client) throw off();
      const { join } = request.query;
      const { url, flow } = await client.start(safeNext(request.query.next), join ? { kind: 'join', token: join } : { kind: 'sign-in' });
      setFlow(reply, flow);
      return reply.redirect(url, 302);
    },
  );

  app.post(
    '/auth/sso/callback',
    {
      config: { access: 'public', rateLimit: PASSWORD_ROUTE_LIMIT },
      schema: {
        tags,
        summary: "Completes a single sign-on with the provider's answer (the login page's query string); sets the session cookie",
        body: ZSsoCallbackRequestSchema,
        response: { 200: ZSsoCallbackResponseSchema },
      },
    },
    async (request, reply) => {
      if (!client) throw off();
      const flow = readFlow(request);
      // One answer per flow, whatever it is: a replayed or second answer finds no flow.
      clearFlow(reply);
      const { purpose } = flow;
      if (purpose.kind === 'link') {
        const auth = linkingUser(request.auth, purpose.userId);
        return { ...(await linkSsoAccount(ctx, auth, await client.finish(flow, request.body.search))), next: flow.next };
      }
      // A join link that closed while the person was at the provider is refused before the code is redeemed.
      const join = purpose.kind === 'join' ? await openJoinLink(ctx, ctx.db, purpose.token) : null;
      const claims = await client.finish(flow, request.body.search);
      const { session, me } = await signInWithSso(ctx, claims, clientInfo(request), join);
      setSessionCookie(reply, session, secure);
      return { ...me, next: join ? `/rate/${join.campaignId}` : flow.next };
    },
  );

  app.post(
    '/me/sso/link',
    {
      config: { access: 'user', sessionOnly: true, campaignOf: 'none', rateLimit: PASSWORD_ROUTE_LIMIT },
      schema: {
        tags,
        summary: 'Start linking your account to the single sign-on provider: answers where to send the browser; the provider sends it back to /login',
        response: { 200: ZSsoLinkStartResponseSchema },
      },
    },
    async (request, reply) => {
      if (!client) throw off();
      const { url, flow } = await client.start('/account?sso=linked', { kind: 'link', userId: requireAuth(request).user.id });
      setFlow(reply, flow);
      return { url };
    },
  );
};
