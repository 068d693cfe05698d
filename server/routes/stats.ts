// stats routes (filled in by the stats work).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

export const statsRoutes: FastifyPluginAsyncZod = async () => {};
