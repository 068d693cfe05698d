// The rater loop over HTTP: next assignment, judge, skip, flag, undo. Every reply (errors too) is
// `Cache-Control: no-store`: leases are personal and short-lived.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  ZAssignmentParamsSchema,
  ZAssignmentQueueSchema,
  ZCampaignParamsSchema,
  ZFlagRequestSchema,
  ZNextAssignmentQuerySchema,
  ZReleaseResponseSchema,
  ZSubmitJudgmentRequestSchema,
  ZSubmitJudgmentResponseSchema,
  ZUndoResponseSchema,
  RATER_STOP_HEADER,
} from '../contract/rater';
import { requireAuth } from '../plugins/auth';
import { limitInFlightPerUser } from '../plugins/in-flight-limit';
import { claimNextAssignment } from '../services/rating/claim-next-assignment';
import { flagAssignment } from '../services/rating/flag-assignment';
import { skipAssignment } from '../services/rating/skip-assignment';
import { submitJudgment } from '../services/rating/submit-judgment';
import { undoJudgment } from '../services/rating/undo-judgment';

const tags = ['rater'];

export const raterRoutes: FastifyPluginAsyncZod = async (app) => {
  app.addHook('onSend', async (_request, reply) => {
    reply.header('cache-control', 'no-store');
  });
  limitInFlightPerUser(app, app.ctx.config.raterMaxInFlight);

  app.get(
    '/campaigns/:id/assignments/next',
    {
      config: { access: 'user' },
      schema: {
        tags,
        summary:
          "The rater's current comparison and the prefetched next one (204: nothing left, the `Juxta-Stop` header says why and `Retry-After` when others' leases may free work; 409 CAMPAIGN_NOT_ACTIVE: paused with no open lease, draft or archived)",
        params: ZCampaignParamsSchema,
        querystring: ZNextAssignmentQuerySchema,
        response: { 200: ZAssignmentQueueSchema, 204: z.null().describe('Nothing is left for this rater') },
      },
    },
    async (request, reply) => {
      const { next, stop, retryAfterSeconds } = await claimNextAssignment(app.ctx, requireAuth(request).user.id, request.params.id, {
        prefetch: request.query.prefetch === '1',
        explainInactive: true,
      });
      if (next) return reply.send(next);
      // 204 has no body: the reason travels in a header (clients that ignore it still see "nothing left").
      if (stop) reply.header(RATER_STOP_HEADER, stop);
      if (retryAfterSeconds !== undefined) reply.header('retry-after', String(retryAfterSeconds));
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/assignments/:id/judgment',
    {
      config: { access: 'user' },
      schema: {
        tags,
        summary: 'Judge the comparison; replies with the judgment and the next queue (409 LEASE_LOST when its place went to someone else)',
        params: ZAssignmentParamsSchema,
        body: ZSubmitJudgmentRequestSchema,
        response: { 200: ZSubmitJudgmentResponseSchema },
      },
    },
    async (request) => submitJudgment(app.ctx, requireAuth(request).user.id, request.params.id, request.body),
  );

  app.post(
    '/assignments/:id/skip',
    {
      config: { access: 'user' },
      schema: { tags, summary: 'Pass on this comparison (never shown again); replies with the next queue', params: ZAssignmentParamsSchema, response: { 200: ZReleaseResponseSchema } },
    },
    async (request) => skipAssignment(app.ctx, requireAuth(request).user.id, request.params.id),
  );

  app.post(
    '/assignments/:id/flag',
    {
      config: { access: 'user' },
      schema: {
        tags,
        summary: 'Report the left, right or both responses; closes the comparison for this rater and replies with the next queue',
        params: ZAssignmentParamsSchema,
        body: ZFlagRequestSchema,
        response: { 200: ZReleaseResponseSchema },
      },
    },
    async (request) => flagAssignment(app.ctx, requireAuth(request).user.id, request.params.id, request.body),
  );

  app.post(
    '/assignments/:id/undo',
    {
      config: { access: 'user' },
      schema: {
        tags,
        summary: "Take back the rater's last judgment (within 2 minutes); the comparison is leased to them again",
        params: ZAssignmentParamsSchema,
        response: { 200: ZUndoResponseSchema },
      },
    },
    async (request) => undoJudgment(app.ctx, requireAuth(request).user.id, request.params.id),
  );
};
