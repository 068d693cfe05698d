// GET /api/health: 200 when the database answers, 503 when it does not (for load balancers and compose).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ZHealthResponseSchema } from '../contract/health';

export const healthRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/health',
    {
      config: { access: 'public' },
      schema: { tags: ['health'], summary: 'Liveness and database reachability', response: { 200: ZHealthResponseSchema, 503: ZHealthResponseSchema } },
    },
    async (_request, reply) => {
      const up = await app.ctx.db.ping();
      return reply
        .status(up ? 200 : 503)
        .header('cache-control', 'no-store')
        .send({ status: up ? 'ok' : 'degraded', database: up ? 'up' : 'down', kind: app.ctx.db.kind });
    },
  );
};
