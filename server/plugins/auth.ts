// Who is calling: a session cookie or an API token becomes request.auth, every route's declared
// access is enforced before its body is read, and cookie-authenticated writes must come from our own origin.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { AppError } from '../errors';
import { authenticateApiToken, authenticateSession, type Auth } from '../services/auth/authenticate';

/**
 * Who may call a route: anyone, any logged-in user (rater or admin), admins only (session or API token),
 * or a scraper holding METRICS_TOKEN (GET /metrics; no session or API token gets in there).
 */
export type Access = 'public' | 'user' | 'admin' | 'metrics';

declare module 'fastify' {
  interface FastifyRequest {
    auth: Auth | null;
  }
  interface FastifyContextConfig {
    access?: Access;
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
    const declared = (route.config as { access?: Access } | undefined)?.access;
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
  });
});
