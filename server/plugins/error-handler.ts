// The one place errors become HTTP answers: coded AppErrors keep their message, validation errors
// list what was wrong, anything else is logged and answered with a generic 500. Every error body carries
// the request's id (also in the X-Request-Id header), the key to its line in the log. Fastify's own
// refusals (a malformed URL, a too long path parameter, a body it cannot parse) and Node's (a request
// head too large or too slow) get the same envelope, with our words: none of them echoes the URL.
import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import type { ErrorCode, TErrorBody } from '../contract/errors';
import { AppError } from '../errors';
import { logRequest, REQUEST_ID_HEADER } from './request-log';

type Refusal = { status: number; code: ErrorCode; message: string };

/** Fastify's errors before a handler runs, in our words (theirs may quote the URL or the Content-Type). */
function frameworkRefusal(err: FastifyError, request: FastifyRequest): Refusal | null {
  switch (err.code) {
    case 'FST_ERR_BAD_URL':
      return { status: 400, code: 'VALIDATION_FAILED', message: 'The URL is not valid: a %-escape in its path is malformed.' };
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return { status: 414, code: 'URL_TOO_LONG', message: 'A part of the URL path is too long (over 100 characters).' };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', message: 'This route does not take a body of that Content-Type: send JSON (application/json).' };
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { status: 413, code: 'PAYLOAD_TOO_LARGE', message: `The request body is larger than this route takes (${request.routeOptions.bodyLimit ?? 1024 * 1024} bytes).` };
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return { status: 400, code: 'VALIDATION_FAILED', message: 'The request body does not match its Content-Length header.' };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { status: 400, code: 'VALIDATION_FAILED', message: 'The body is empty but its Content-Type says JSON: send {} or leave the header out.' };
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return { status: 400, code: 'VALIDATION_FAILED', message: 'The body is not valid JSON (its Content-Type says application/json).' };
    default:
      return null;
  }
}

const CODE_BY_STATUS: Partial<Record<number, ErrorCode>> = { 413: 'PAYLOAD_TOO_LARGE', 414: 'URL_TOO_LONG', 415: 'UNSUPPORTED_MEDIA_TYPE', 429: 'RATE_LIMITED' };

/** Any other 4xx a plugin raised: its message, unless it quotes the URL (then the status's own words). */
function otherRefusal(err: FastifyError, request: FastifyRequest, status: number): Refusal {
  const path = request.url.split('?')[0] ?? '';
  const quotesUrl = err.message.includes(path) || err.message.includes(request.url);
  return { status, code: CODE_BY_STATUS[status] ?? 'VALIDATION_FAILED', message: quotesUrl ? `${STATUS_CODES[status] ?? 'Bad request'}.` : err.message };
}

function sendRefusal(reply: FastifyReply, request: FastifyRequest, { status, code, message }: Refusal) {
  return reply.status(status).send({ error: { code, message, requestId: request.id } } satisfies TErrorBody);
}

/**
 * Fastify's `frameworkErrors`: a URL it cannot route (malformed %-escape, path parameter too long). No
 * hook runs for these, so the request id header and the log line are written here.
 */
export function answerFrameworkError(err: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const refusal = frameworkRefusal(err, request) ?? { status: 400, code: 'VALIDATION_FAILED', message: 'The URL is not valid.' };
  reply.header(REQUEST_ID_HEADER, request.id);
  reply.raw.once('finish', () => logRequest(request, reply));
  void sendRefusal(reply, request, refusal);
}

/** Fastify's `clientErrorHandler`: Node refused the request before it was parsed (no request object, no route). */
export function answerClientError(this: FastifyInstance, err: NodeJS.ErrnoException, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const requestId = randomUUID();
  const [status, code, message]: [number, ErrorCode, string] =
    err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? [408, 'REQUEST_TIMEOUT', 'The request did not arrive in time.']
      : err.code === 'HPE_HEADER_OVERFLOW'
        ? [431, 'HEADERS_TOO_LARGE', 'The request URL and headers are larger than 16 KiB.']
        : [400, 'VALIDATION_FAILED', 'The request is not valid HTTP.'];
  this.log.info({ requestId, status, reason: err.code ?? 'client error' }, 'request refused before parsing');
  if (socket.writable) {
    const body = JSON.stringify({ error: { code, message, requestId } });
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `${REQUEST_ID_HEADER}: ${requestId}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(err);
}

export const errorHandlerPlugin = fp(async (app: FastifyInstance) => {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    if (err instanceof AppError) {
      if (err.statusCode >= 500) request.log.error({ err }, 'coded server error');
      return reply.status(err.statusCode).send({ error: { code: err.code, message: err.message, details: err.details, requestId: request.id } } satisfies TErrorBody);
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const issues = err.validation.map((v) => ({
        path: `${err.validationContext ?? 'body'}${v.instancePath.replaceAll('/', '.')}`,
        message: v.message ?? 'is invalid',
      }));
      const first = issues[0];
      return reply.status(400).send({
        error: {
          code: 'VALIDATION_FAILED',
          message: first ? `Invalid request: ${first.path} ${first.message}` : 'Invalid request',
          details: { issues },
          requestId: request.id,
        },
      } satisfies TErrorBody);
    }
    const status = err.statusCode ?? 500;
    // Fastify's own 4xx (malformed JSON, body too large, unsupported media type...) and plugins' (multipart limits).
    if (status < 500) return sendRefusal(reply, request, frameworkRefusal(err, request) ?? otherRefusal(err, request, status));
    request.log.error({ err }, 'unhandled error');
    return reply.status(500).send({ error: { code: 'INTERNAL', message: `Something went wrong on our side; the error was logged under request id ${request.id}.`, requestId: request.id } } satisfies TErrorBody);
  });
});
