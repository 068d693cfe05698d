// OpenAPI document generated from the routes' zod schemas, browsable at /docs.
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';

export const docsPlugin = fp(async (app: FastifyInstance) => {
  await app.register(swagger, {
    openapi: {
      info: { title: 'Juxta API', version: '1', description: 'Human preference data collection for RLHF. Errors are `{ error: { code, message, details? } }`.' },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'juxta_session' },
          apiToken: { type: 'http', scheme: 'bearer', description: 'An admin API token from POST /api/tokens' },
        },
      },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    staticCSP: true,
    // The browser tab and bookmarks say whose API this is, not "Swagger UI".
    theme: { title: 'Juxta API docs' },
    uiConfig: { docExpansion: 'list', deepLinking: true },
  });
});
