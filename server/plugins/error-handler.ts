// The one place errors become HTTP answers: coded AppErrors keep their message, validation errors
// list what was wrong, anything else is logged and answered with a generic 500. Every error body carries
// the request's id (also in the X-Request-Id header), the key to its line in the log.
import type { FastifyError, FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError } from '../errors';

export const errorHandlerPlugin = fp(async (app: FastifyInstance) => {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    if (err instanceof AppError) {
      if (err.statusCode >= 500) request.log.error({ err }, 'coded server error');
      return reply.status(err.statusCode).send({ error: { code: err.code, message: err.message, details: err.details, requestId: request.id } });
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
      });
    }
    const status = err.statusCode ?? 500;
    if (status < 500) {
      // Fastify's own 4xx (malformed JSON, body too large, unsupported media type...): its message is safe to show.
      const code = status === 413 ? 'PAYLOAD_TOO_LARGE' : status === 415 ? 'UNSUPPORTED_MEDIA_TYPE' : status === 429 ? 'RATE_LIMITED' : 'VALIDATION_FAILED';
      return reply.status(status).send({ error: { code, message: err.message, requestId: request.id } });
    }
    request.log.error({ err }, 'unhandled error');
    return reply.status(500).send({ error: { code: 'INTERNAL', message: `Something went wrong on our side; the error was logged under request id ${request.id}.`, requestId: request.id } });
  });
});
