// Model endpoints (admin): register, list, view, edit, delete, and test the connection. Keys are write-only.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  ZCreateModelEndpointRequestSchema,
  ZModelEndpointIdParamsSchema,
  ZModelEndpointListSchema,
  ZModelEndpointSchema,
  ZTestConnectionResponseSchema,
  ZUpdateModelEndpointRequestSchema,
} from '../contract/model-endpoints';
import { requireAuth } from '../plugins/auth';
import { getModelEndpoint, listModelEndpoints } from '../services/model-endpoints/model-endpoint-view';
import { createModelEndpoint, deleteModelEndpoint, editModelEndpoint } from '../services/model-endpoints/save-model-endpoint';
import { testModelEndpoint } from '../services/model-endpoints/test-model-endpoint';

const tags = ['generation'];
const params = ZModelEndpointIdParamsSchema;

export const modelEndpointsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/model-endpoints',
    {
      config: { access: 'admin' },
      schema: {
        tags,
        summary: 'Register an OpenAI-compatible chat completions endpoint (the API key is stored encrypted and never returned)',
        body: ZCreateModelEndpointRequestSchema,
        response: { 201: ZModelEndpointSchema },
      },
    },
    async (request, reply) => reply.status(201).send(await createModelEndpoint(app.ctx, requireAuth(request), request.body)),
  );

  app.get(
    '/model-endpoints',
    { config: { access: 'admin' }, schema: { tags, summary: 'Every model endpoint (keys shown only as apiKeySet)', response: { 200: ZModelEndpointListSchema } } },
    async () => ({ endpoints: await listModelEndpoints(app.ctx) }),
  );

  app.get(
    '/model-endpoints/:id',
    { config: { access: 'admin' }, schema: { tags, summary: 'One model endpoint', params, response: { 200: ZModelEndpointSchema } } },
    async (request) => getModelEndpoint(app.ctx, request.params.id),
  );

  app.patch(
    '/model-endpoints/:id',
    {
      config: { access: 'admin' },
      schema: { tags, summary: 'Edit an endpoint; apiKey: a new key, or null to remove it', params, body: ZUpdateModelEndpointRequestSchema, response: { 200: ZModelEndpointSchema } },
    },
    async (request) => editModelEndpoint(app.ctx, requireAuth(request), request.params.id, request.body),
  );

  app.delete(
    '/model-endpoints/:id',
    { config: { access: 'admin' }, schema: { tags, summary: 'Delete an endpoint (its responses stay; its key is erased)', params, response: { 204: z.null() } } },
    async (request, reply) => {
      await deleteModelEndpoint(app.ctx, requireAuth(request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/model-endpoints/:id/test',
    {
      config: { access: 'admin' },
      schema: { tags, summary: 'Send one short request: the answer and latency, or the server\'s error', params, response: { 200: ZTestConnectionResponseSchema } },
    },
    async (request) => testModelEndpoint(app.ctx, requireAuth(request), request.params.id),
  );
};
