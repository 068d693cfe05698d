// All /api routes, by area.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { auditRoutes } from './audit';
import { authRoutes } from './auth';
import { campaignsRoutes } from './campaigns';
import { exportsRoutes } from './exports';
import { generationJobsRoutes } from './generation-jobs';
import { healthRoutes } from './health';
import { importsRoutes } from './imports';
import { modelEndpointsRoutes } from './model-endpoints';
import { raterRoutes } from './rater';
import { raterBriefRoutes } from './rater-brief';
import { reviewRoutes } from './review';
import { statsRoutes } from './stats';

export const apiRoutes: FastifyPluginAsyncZod = async (app) => {
  await app.register(healthRoutes);
  await app.register(authRoutes);
  await app.register(campaignsRoutes);
  await app.register(importsRoutes);
  await app.register(raterRoutes);
  await app.register(raterBriefRoutes);
  await app.register(exportsRoutes);
  await app.register(statsRoutes);
  await app.register(auditRoutes);
  await app.register(reviewRoutes);
  await app.register(modelEndpointsRoutes);
  await app.register(generationJobsRoutes);
};
