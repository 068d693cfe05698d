// One JSON log line per request (method, route, URL with secrets blanked, status, time, who), under a
// request id that the reply echoes in X-Request-Id and every error body carries. A proxy's X-Request-Id
// is kept when it looks like one, so a line here and the proxy's access log share it.
// This file is the one place secrets are kept out of the log: URLs through redactUrl, logged objects
// through LOG_REDACT_PATHS; fastify's own request/response lines are turned off in app.ts.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify';
import fp from 'fastify-plugin';

export const REQUEST_ID_HEADER = 'x-request-id';
const INCOMING_REQUEST_ID = /^[\w.:-]{8,128}$/;

/** The proxy's request id when it looks like one (no spaces, quotes or control characters), else a new one. */
export function requestIdOf(request: IncomingMessage): string {
  const given = request.headers[REQUEST_ID_HEADER];
  return typeof given === 'string' && INCOMING_REQUEST_ID.test(given) ? given : randomUUID();
}

/** Our secrets (newSecret: sessions jxs_, API tokens jxt_, invites and the setup link jxi_, reset links jxr_) wherever they appear. */
const PREFIXED_SECRET = /\b(jx[a-z])_[A-Za-z0-9_-]{8,}/g;
/** Path segments that hold an invite, reset or join-link token even when it is mistyped or unprefixed: API routes and web pages. */
const TOKEN_SEGMENT = /(\/(?:api\/invites|invite|setup|api\/password-resets|reset|api\/join|join)\/)(?!bulk(?:[/?#]|$))[^/?#]+/g;

/** The URL as it may be logged: every secret in it replaced by [redacted]. */
export function redactUrl(url: string): string {
  return url.replace(TOKEN_SEGMENT, '$1[redacted]').replace(PREFIXED_SECRET, '$1_[redacted]');
}

/** Fields never written as they are, in any object a log call is given (a safety net: nothing logs them on purpose). */
export const LOG_REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'headers.cookie',
  ...['password', 'currentPassword', 'newPassword', 'token', 'apiKey', 'session'].flatMap((field) => [field, `*.${field}`]),
];

/** Fastify's logger options: JSON lines at `level`, to `stream` (tests) or stdout, secrets censored. */
export function loggerOptions(level: string, stream?: { write(line: string): void }): FastifyServerOptions['logger'] {
  return { level, redact: { paths: LOG_REDACT_PATHS, censor: '[redacted]' }, ...(stream ? { stream } : {}) };
}

/** The request's log line; also written by the error handler for the URLs Fastify refuses before any hook runs. */
export function logRequest(request: FastifyRequest, reply: FastifyReply): void {
  request.log.info(
    {
      method: request.method,
      url: redactUrl(request.url),
      route: request.routeOptions.url ?? null,
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime * 10) / 10,
      userId: request.auth?.user.id ?? null,
      via: request.auth?.via ?? null,
      ip: request.ip,
    },
    'request',
  );
}

export const requestLogPlugin = fp(async (app: FastifyInstance) => {
  app.addHook('onRequest', async (request, reply) => {
    reply.header(REQUEST_ID_HEADER, request.id);
  });
  app.addHook('onResponse', async (request, reply) => logRequest(request, reply));
});
