// rater routes (filled in by the rater work).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

export const raterRoutes: FastifyPluginAsyncZod = async () => {};
