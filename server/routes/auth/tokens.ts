// API tokens for scripts: minted from a logged-in session only, listed, revoked.
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ZApiTokenListSchema, ZApiTokenSchema, ZCreateApiTokenRequestSchema, ZCreateApiTokenResponseSchema } from '../../contract/api-tokens';
import { ZIdParamsSchema } from '../../contract/auth';
import { AppError } from '../../errors';
import { requireAuth } from '../../plugins/auth';
import { createApiToken } from '../../services/auth/create-api-token';
import { listApiTokens } from '../../services/auth/list-api-tokens';
import { revokeApiToken } from '../../services/auth/revoke-api-token';

/** For routes a leaked API token must not reach (minting tokens): refused before the body is read. */
async function refuseApiTokens(request: FastifyRequest): Promise<void> {
  if (request.auth?.via === 'token') throw new AppError('FORBIDDEN', 'API tokens cannot do this; log in to the web app.');
}

export const tokensRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ctx } = app;
  const tags = ['auth'];

  app.post(
    '/tokens',
    {
      config: { access: 'admin' },
      // A leaked token must not be able to mint tokens that outlive its own revocation.
      onRequest: refuseApiTokens,
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
