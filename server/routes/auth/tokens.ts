// API tokens for scripts: minted from a logged-in session only, listed, revoked.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ZApiTokenListSchema, ZApiTokenSchema, ZCreateApiTokenRequestSchema, ZCreateApiTokenResponseSchema } from '../../contract/api-tokens';
import { ZIdParamsSchema } from '../../contract/auth';
import { requireAuth } from '../../plugins/auth';
import { createApiToken } from '../../services/auth/create-api-token';
import { listApiTokens } from '../../services/auth/list-api-tokens';
import { revokeApiToken } from '../../services/auth/revoke-api-token';

export const tokensRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ctx } = app;
  const tags = ['auth'];

  app.post(
    '/tokens',
    {
      // A leaked token must not be able to mint tokens that outlive its own revocation.
      config: { access: 'admin', sessionOnly: true },
      schema: {
        tags,
        summary: 'Create an API token (shown once; from a logged-in session only)',
        body: ZCreateApiTokenRequestSchema,
        response: { 201: ZCreateApiTokenResponseSchema },
      },
    },
    async (request, reply) => reply.status(201).send(await createApiToken(ctx, requireAuth(request), request.body)),
  );

  app.get(
    '/tokens',
    { config: { access: 'admin' }, schema: { tags, summary: "Every admin's API tokens", response: { 200: ZApiTokenListSchema } } },
    async () => ({ tokens: await listApiTokens(ctx) }),
  );

  app.delete(
    '/tokens/:id',
    { config: { access: 'admin' }, schema: { tags, summary: 'Revoke an API token', params: ZIdParamsSchema, response: { 200: ZApiTokenSchema } } },
    async (request) => revokeApiToken(ctx, requireAuth(request), request.params.id),
  );
};
