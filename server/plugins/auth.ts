// Who is calling: a session cookie or an API token becomes request.auth, every route's declared
// access is enforced before its body is read, and cookie-authenticated writes must come from our own origin.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { TokenScope } from '../contract/api-tokens';
import { AppError } from '../errors';
import { authenticateApiToken, authenticateSession, type Auth } from '../services/auth/authenticate';
import { findReviewerGrant } from '../services/members/campaign-reviewers';
import type { ServiceContext } from '../services/context';

/**
 * Who may call a route: anyone, any logged-in user (rater or admin), admins only (session or API token),
 * admins and the reviewers of the route's campaign (`reviewer`), admins and those reviewers who may also
 * export (`reviewer-export`), or a scraper holding METRICS_TOKEN (GET /metrics; no session or API token
 * gets in there). The campaign of a reviewer route is found as for campaign-limited tokens (`campaignOf`).
 */
export type Access = 'public' | 'user' | 'admin' | 'reviewer' | 'reviewer-export' | 'metrics';

/**
 * The API token scope a route needs (`admin` when a route declares none: a new route is closed to narrow
 * tokens until it says otherwise). `any`: every token, whatever its scopes (GET /api/me, reading campaigns).
 * A token with the `admin` scope passes every check (but `sessionOnly`).
 */
export type RouteScope = TokenScope | 'any';

/**
 * The campaign a request acts on, for API tokens limited to campaigns: looked up from the path's
 * parameters (null: no such thing). Routes under /api/campaigns/:id need none (`:id` is the campaign).
 * `filtered`: the route serves many campaigns and leaves out the ones the caller may not reach
 * (`mayReachCampaign`). `none`: the route is about the caller alone (GET /api/me). A route with none of
 * these is refused to campaign-limited tokens.
 */
export type CampaignOf = 'filtered' | 'none' | ((ctx: ServiceContext, params: Record<string, string>, routeUrl: string) => Promise<string | null>);

/**
 * Only a person logged in with a session may do this, never an API token, whatever its scopes: what
 * would let a leaked token outlive its revocation (minting tokens, admin invites, reset or join links,
 * role changes, reactivating accounts). `true`: refused before the body is read. A function: refused
 * when it holds of the validated request (POST /api/invites: only when the invite is for an admin).
 */
export type SessionOnly = true | ((request: FastifyRequest) => boolean);

declare module 'fastify' {
  interface FastifyRequest {
    auth: Auth | null;
  }
  interface FastifyContextConfig {
    access?: Access;
    scope?: RouteScope;
    campaignOf?: CampaignOf;
    sessionOnly?: SessionOnly;
  }
}

function refuseToken(request: FastifyRequest): void {
  throw new AppError('FORBIDDEN', `API tokens cannot do this, whatever their scopes: log in to the web app (${request.method} ${request.routeOptions.url}).`);
}

/** Whether the caller may see this campaign: sessions always (their access level decides), tokens by their campaigns. */
export function mayReachCampaign(auth: Auth, campaignId: string): boolean {
  return !auth.token?.campaignIds || auth.token.campaignIds.includes(campaignId);
}

const CAMPAIGN_PATH = '/api/campaigns/:id';

/** The route's way to find its campaign: declared, or `:id` under /api/campaigns/:id; undefined when it has none. */
function campaignOfRoute(request: FastifyRequest): CampaignOf | undefined {
  const url = request.routeOptions.url ?? '';
  const params = request.params as Record<string, string>;
  return request.routeOptions.config.campaignOf ?? (url === CAMPAIGN_PATH || url.startsWith(`${CAMPAIGN_PATH}/`) ? async () => params.id ?? null : undefined);
}

/** Lets a non-admin through a reviewer route only as a reviewer of the route's campaign (with export rights for reviewer-export). */
async function checkReviewer(ctx: ServiceContext, request: FastifyRequest, auth: Auth, access: 'reviewer' | 'reviewer-export'): Promise<void> {
  if (auth.user.role === 'ADMIN') return;
  const campaignOf = campaignOfRoute(request);
  const campaignId = typeof campaignOf === 'function' ? await campaignOf(ctx, request.params as Record<string, string>, request.routeOptions.url ?? '') : null;
  const grant = campaignId ? await findReviewerGrant(ctx, campaignId, auth.user.id) : null;
  if (!grant) throw new AppError('FORBIDDEN', "Only admins and this campaign's reviewers may do this.");
  if (access === 'reviewer-export' && !grant.canExport) throw new AppError('FORBIDDEN', 'Reviewers of this campaign may not export it; ask an admin for the right to.');
}

/** Refuses an API token that lacks the route's scope, or reaches a campaign the token is not limited to. */
async function checkTokenGrant(ctx: ServiceContext, request: FastifyRequest, auth: Auth): Promise<void> {
  const grant = auth.token;
  if (!grant) return;
  const config = request.routeOptions.config;
  const needs = config.scope ?? 'admin';
  if (!grant.scopes.includes('admin') && needs !== 'any' && !grant.scopes.includes(needs)) {
    throw new AppError('INSUFFICIENT_SCOPE', `This API token lacks the ${needs} scope this route needs; make a token with it on the Tokens page.`, {
      needs,
      scopes: grant.scopes,
    });
  }
  if (!grant.campaignIds) return;
  const campaignOf = campaignOfRoute(request);
  if (campaignOf === 'filtered' || campaignOf === 'none') return;
  const campaignId = campaignOf ? await campaignOf(ctx, request.params as Record<string, string>, request.routeOptions.url ?? '') : null;
  if (!campaignOf || !campaignId || !grant.campaignIds.includes(campaignId)) {
    throw new AppError(
      'INSUFFICIENT_SCOPE',
      campaignOf ? 'This API token is limited to other campaigns.' : 'This API token is limited to some campaigns; this route is not about one of them.',
      { campaignIds: grant.campaignIds },
    );
  }
}

export const SESSION_COOKIE = 'juxta_session';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The authenticated caller, or a 401 (for handlers of 'user'/'admin' routes, where it is always set). */
export function requireAuth(request: FastifyRequest): Auth {
  if (!request.auth) throw new AppError('UNAUTHENTICATED', 'Log in first.');
  return request.auth;
}

function checkOrigin(request: FastifyRequest, publicUrl: string): void {
  const site = request.headers['sec-fetch-site'];
  if (typeof site === 'string') {
    if (site === 'same-origin' || site === 'none') return;
    throw new AppError('CROSS_ORIGIN', 'This request came from another site and was refused.');
  }
  const origin = request.headers.origin;
  if (typeof origin !== 'string') {
    throw new AppError('CROSS_ORIGIN', 'Requests that change data with a session cookie must carry an Origin header.');
  }
  const allowed = new Set([new URL(publicUrl).origin, `${request.protocol}://${request.host}`]);
  if (!allowed.has(origin)) throw new AppError('CROSS_ORIGIN', `Requests from ${origin} are refused; use ${new URL(publicUrl).origin}.`);
}

const digest = (s: string) => createHash('sha256').update(s).digest();

function checkMetricsToken(request: FastifyRequest, token: string | null): void {
  if (token === null) throw new AppError('NOT_FOUND', 'Metrics are off: set METRICS_TOKEN to serve GET /metrics.');
  const given = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
  // Equal-length digests, compared in constant time: the answer's timing tells nothing about the token.
  if (!given || !timingSafeEqual(digest(given), digest(token))) {
    throw new AppError('UNAUTHENTICATED', 'GET /metrics needs the header Authorization: Bearer <METRICS_TOKEN>.');
  }
}

export const authPlugin = fp(async (app: FastifyInstance) => {
  app.decorateRequest('auth', null);

  // A route that forgets to say who may call it must not start silently public.
  app.addHook('onRoute', (route) => {
    const config = route.config as { access?: Access; campaignOf?: CampaignOf } | undefined;
    const declared = config?.access;
    const underCampaign = route.url === CAMPAIGN_PATH || route.url.startsWith(`${CAMPAIGN_PATH}/`);
    // A reviewer is one campaign's: a reviewer route that cannot tell its campaign would let nobody in, or everybody.
    if ((declared === 'reviewer' || declared === 'reviewer-export') && !underCampaign && typeof config?.campaignOf !== 'function') {
      throw new Error(`Route ${route.method} ${route.url} is for reviewers but cannot tell its campaign (config.campaignOf)`);
    }
    if (declared) return;
    // Only the API carries data; docs and static files outside /api are public by nature.
    if (!route.url.startsWith('/api')) {
      route.config = { ...(route.config ?? {}), access: 'public' };
      return;
    }
    throw new Error(`Route ${route.method} ${route.url} declares no access (config.access)`);
  });

  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    const access = request.routeOptions.config.access ?? 'public';
    if (access === 'metrics') return checkMetricsToken(request, app.ctx.config.metricsToken);
    const header = request.headers.authorization;
    const cookie = request.cookies[SESSION_COOKIE];
    if (header !== undefined) {
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      request.auth = match?.[1] ? await authenticateApiToken(app.ctx, match[1]) : null;
      if (!request.auth) throw new AppError('UNAUTHENTICATED', 'The API token is invalid, expired or revoked.');
    } else if (cookie) {
      request.auth = await authenticateSession(app.ctx, cookie);
      if (!request.auth) {
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
        if (access !== 'public') throw new AppError('UNAUTHENTICATED', 'Your session has expired; log in again.');
      }
    }
    // Cookies ride along on cross-site requests; tokens do not, so only cookie writes need the origin check.
    if (!SAFE_METHODS.has(request.method) && request.auth?.via !== 'token' && (cookie || request.headers.origin)) {
      checkOrigin(request, app.ctx.config.publicUrl);
    }
    if (access === 'public') return;
    if (!request.auth) throw new AppError('UNAUTHENTICATED', 'Log in first.');
    if (access === 'admin' && request.auth.user.role !== 'ADMIN') throw new AppError('FORBIDDEN', 'Only admins may do this.');
    if (access === 'reviewer' || access === 'reviewer-export') await checkReviewer(app.ctx, request, request.auth, access);
    if (request.auth.via === 'token' && request.routeOptions.config.sessionOnly === true) refuseToken(request);
    await checkTokenGrant(app.ctx, request, request.auth);
  });

  // The conditional form needs the validated body (defaults filled in), so it runs just before the handler.
  app.addHook('preHandler', async (request: FastifyRequest) => {
    const sessionOnly = request.routeOptions.config.sessionOnly;
    if (typeof sessionOnly === 'function' && request.auth?.via === 'token' && sessionOnly(request)) refuseToken(request);
  });
});
