// exports routes (filled in by the exports work).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

export const exportsRoutes: FastifyPluginAsyncZod = async () => {};
