// Exports (admin, session or API token): the JSONL file, its row count, and its dataset card.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { EXPORT_AS_OF_HEADER, ZExportCountResponseSchema, ZExportParamsSchema } from '../contract/exports';
import { ZExportQuery } from '../domain/export/options';
import { requireAuth } from '../plugins/auth';
import { countExportRows } from '../services/exports/count-export-rows';
import { renderExportCard } from '../services/exports/render-export-card';
import { streamExport } from '../services/exports/stream-export';

const request = { params: ZExportParamsSchema, querystring: ZExportQuery };

export const exportsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/campaigns/:id/export',
    {
      config: { access: 'reviewer-export', scope: 'export:read' },
      schema: {
        tags: ['exports'],
        summary: 'Stream the campaign as JSONL (raw judgments or a training format); the same asOf gives the same bytes',
        ...request,
        produces: ['application/x-ndjson'],
      },
    },
    async (req, reply) => {
      const { stream, fileName, asOf } = await streamExport(app.ctx, requireAuth(req), req.params.id, req.query);
      return reply
        .type('application/x-ndjson; charset=utf-8')
        .header('content-disposition', `attachment; filename="${fileName}"`)
        .header('cache-control', 'no-store')
        .header(EXPORT_AS_OF_HEADER, asOf.toISOString())
        .send(stream);
    },
  );

  app.get(
    '/campaigns/:id/export/count',
    {
      config: { access: 'reviewer-export', scope: 'export:read' },
      schema: { tags: ['exports'], summary: 'How many lines the same export query would download, the comparisons it drops and why, and its first 3 lines', ...request, response: { 200: ZExportCountResponseSchema } },
    },
    async (req, reply) => {
      const { asOf, preview, ...count } = await countExportRows(app.ctx, req.params.id, req.query);
      return reply
        .header(EXPORT_AS_OF_HEADER, asOf.toISOString())
        .send({ ...count, asOf: asOf.toISOString(), preview: preview as Record<string, unknown>[] });
    },
  );

  app.get(
    '/campaigns/:id/export/card',
    {
      config: { access: 'reviewer-export', scope: 'export:read' },
      schema: {
        tags: ['exports'],
        summary: 'The dataset card (markdown with Hugging Face front matter) of the same export query',
        ...request,
        produces: ['text/markdown'],
        response: { 200: z.string() },
      },
    },
    async (req, reply) => {
      const { markdown, asOf } = await renderExportCard(app.ctx, req.params.id, req.query);
      return reply.type('text/markdown; charset=utf-8').header(EXPORT_AS_OF_HEADER, asOf.toISOString()).send(markdown);
    },
  );
};
