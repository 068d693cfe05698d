// Invites by the list (admin): a bulk list of people into a campaign; the invites made, a campaign's or
// everyone's; revoking one. Accepting a link is in invites.ts.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ZIdParamsSchema } from '../../contract/auth';
import { ZBulkInviteRequestSchema, ZBulkInviteResponseSchema, ZInviteListItemSchema, ZInviteListQuerySchema, ZInvitePageSchema } from '../../contract/invites';
import { requireAuth } from '../../plugins/auth';
import { createBulkInvites } from '../../services/auth/bulk-invites';
import { listPendingInvites, revokeInvite } from '../../services/auth/pending-invites';

export const inviteListsRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ctx } = app;
  const tags = ['auth'];

  app.post(
    '/invites/bulk',
    {
      config: { access: 'admin' },
      schema: {
        tags,
        summary: 'One rater invite link per email (or person) of a list into a campaign (at most 1,000 lines); bad, repeated and already invited lines reported by 1-based line',
        body: ZBulkInviteRequestSchema,
        response: { 200: ZBulkInviteResponseSchema },
      },
    },
    async (request) => createBulkInvites(ctx, requireAuth(request), request.body),
  );

  app.get(
    '/invites',
    {
      config: { access: 'admin' },
      schema: {
        tags,
        summary: 'Invites newest first, open ones by default (state=all: used, expired and revoked too), of one campaign or all; keyset pages',
        querystring: ZInviteListQuerySchema,
        response: { 200: ZInvitePageSchema },
      },
    },
    async (request) => listPendingInvites(ctx, request.query),
  );

  app.delete(
    '/invites/:id',
    {
      config: { access: 'admin' },
      schema: { tags, summary: 'Revoke an invite not used yet: its link stops working at once', params: ZIdParamsSchema, response: { 200: ZInviteListItemSchema } },
    },
    async (request) => revokeInvite(ctx, requireAuth(request), request.params.id),
  );
};
