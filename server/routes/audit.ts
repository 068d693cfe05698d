// The audit trail (admin): who changed what, filtered, newest first, keyset pages.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ZAuditPageSchema, ZAuditQuerySchema } from '../contract/audit';
import { listAuditTrail } from '../services/audit/list-audit-events';

export const auditRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/audit',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['audit'],
        summary: 'Admin actions, newest first: filter by actor, action, target, campaign and time; pass nextCursor as cursor for older ones',
        querystring: ZAuditQuerySchema,
        response: { 200: ZAuditPageSchema },
      },
    },
    async (request, reply) => reply.header('cache-control', 'no-store').send(await listAuditTrail(app.ctx, request.query)),
  );
};
