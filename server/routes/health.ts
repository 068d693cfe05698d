// GET /api/health: 200 when the database answers, 503 when it does not (for load balancers and compose).
// GET /api/health/live and /api/health/ready: the probes an orchestrator restarts (live) or routes (ready) by.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ZHealthResponseSchema, ZLiveResponseSchema, ZReadyResponseSchema } from '../contract/health';
import { checkReadiness } from '../services/health/check-readiness';

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

  app.get(
    '/health/live',
    {
      config: { access: 'public' },
      schema: { tags: ['health'], summary: 'The process is up (checks nothing else)', response: { 200: ZLiveResponseSchema } },
    },
    async (_request, reply) => reply.header('cache-control', 'no-store').send({ status: 'ok' as const }),
  );

  app.get(
    '/health/ready',
    {
      config: { access: 'public' },
      schema: {
        tags: ['health'],
        summary: 'Ready for traffic: the database answers and every migration of this build is applied (503 otherwise)',
        response: { 200: ZReadyResponseSchema, 503: ZReadyResponseSchema },
      },
    },
    async (_request, reply) => {
      const readiness = await checkReadiness(app.ctx);
      return reply
        .status(readiness.status === 'ready' ? 200 : 503)
        .header('cache-control', 'no-store')
        .send(readiness);
    },
  );
};
