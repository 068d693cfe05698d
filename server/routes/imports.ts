// Prompt-set imports (admin): the streamed upload, its progress, and a campaign's imports.
import multipart from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { Readable } from 'node:stream';
import { ZCampaignIdParamsSchema } from '../contract/campaign';
import { ZImportCheckSchema, ZImportIdParamsSchema, ZImportListResponseSchema, ZImportQuerySchema, ZImportResultSchema, ZImportStatusSchema } from '../contract/imports';
import { AppError } from '../errors';
import { requireAuth } from '../plugins/auth';
import { campaignOfImport } from '../services/auth/campaign-of';
import type { UploadPart } from '../services/imports/answer-file-parts';
import { checkPromptSet, importPromptSet, type UploadSource } from '../services/imports/import-prompt-set';
import { getImportStatus, listImports } from '../services/imports/import-status';

const tags = ['imports'];

/** Upload bodies the import reads as a stream (gzip is recognised from its bytes, whatever the type says). */
const STREAMED_TYPES = [
  'application/x-ndjson',
  'application/jsonl',
  'application/json',
  'text/csv',
  'application/csv',
  'text/plain',
  'application/gzip',
  'application/octet-stream',
];

async function* multipartFiles(request: FastifyRequest): AsyncGenerator<UploadPart> {
  for await (const part of request.parts()) {
    if (part.type === 'file') yield { fieldname: part.fieldname, filename: part.filename, file: part.file };
    else yield { fieldname: part.fieldname, filename: '', file: Readable.from([Buffer.from(String(part.value))]) };
  }
}

function uploadSource(request: FastifyRequest): UploadSource {
  if (request.isMultipart()) return { kind: 'multipart', parts: multipartFiles(request) };
  // No body at all (Content-Length: 0) reads as an empty upload, which the parser reports as such.
  const stream = (request.body as Readable | undefined) ?? Readable.from([]);
  return { kind: 'body', stream, contentType: request.headers['content-type'] };
}

export const importsRoutes: FastifyPluginAsyncZod = async (app) => {
  const { maxUploadBytes } = app.ctx.config.import;
  // Only this plugin's routes: the body is handed over unread, and the import streams it.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(STREAMED_TYPES, (_request, payload, done) => done(null, payload));
  app.addContentTypeParser('*', (request, _payload, done) =>
    done(
      new AppError(
        'UNSUPPORTED_MEDIA_TYPE',
        `Content-Type "${request.headers['content-type'] ?? ''}" is not an import: send JSONL (application/x-ndjson), a JSON array (application/json), ` +
          'CSV (text/csv), gzip of those, or answer files as multipart/form-data.',
      ),
    ),
  );
  await app.register(multipart, { limits: { fileSize: maxUploadBytes, files: 1_000, fieldSize: 1024 * 1024 } });

  app.post(
    '/campaigns/:id/imports',
    {
      config: { access: 'admin', scope: 'import:write' },
      schema: {
        tags,
        summary: 'Import a prompt set (streamed); answers when it is published',
        description:
          'The file is the request body: JSONL (application/x-ndjson or application/jsonl), a JSON array (application/json), CSV ' +
          '(text/csv), or any of them gzipped. Answer files are multipart/form-data: one part "questions" and one part "answers" per model. ' +
          'Malformed input imports nothing and answers 400 IMPORT_INVALID with the first 100 errors; poll GET /api/imports/{importId} for progress. ' +
          '?dryRun=true checks the whole file the same way, stores nothing, and answers 200 with what it would add and a preview of the first records.',
        params: ZCampaignIdParamsSchema,
        querystring: ZImportQuerySchema,
        response: { 200: ZImportCheckSchema, 201: ZImportResultSchema },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request);
      if (Number(request.headers['content-length'] ?? 0) > maxUploadBytes) {
        throw new AppError('PAYLOAD_TOO_LARGE', `The upload is larger than the limit of ${maxUploadBytes} bytes: split it into several imports.`);
      }
      const importRequest = {
        campaignId: request.params.id,
        actor: auth,
        importId: request.query.importId,
        format: request.query.format,
        keepFilePairs: request.query.pairs === 'file',
        emptyResponses: request.query.emptyResponses,
        fileName: request.query.fileName,
        source: uploadSource(request),
        signal: app.runningWork.signalFor(reply),
      };
      if (request.query.dryRun) return reply.status(200).send(await checkPromptSet(app.ctx, importRequest));
      return reply.status(201).send(await importPromptSet(app.ctx, importRequest));
    },
  );

  app.get(
    '/imports/:id',
    {
      config: { access: 'admin', scope: 'import:write', campaignOf: campaignOfImport },
      schema: { tags, summary: "An import's progress and outcome", params: ZImportIdParamsSchema, response: { 200: ZImportStatusSchema } },
    },
    async (request, reply) => reply.header('cache-control', 'no-store').send(await getImportStatus(app.ctx, request.params.id)),
  );

  app.get(
    '/campaigns/:id/imports',
    {
      config: { access: 'admin', scope: 'import:write' },
      schema: { tags, summary: "A campaign's imports, newest first", params: ZCampaignIdParamsSchema, response: { 200: ZImportListResponseSchema } },
    },
    async (request) => ({ imports: await listImports(app.ctx, request.params.id) }),
  );
};
