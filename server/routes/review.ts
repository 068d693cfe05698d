// Review (admins and the campaign's reviewers): the comparisons explorer, one comparison with its judgments and flags, the flag queue and
// its actions (dismiss or reopen a flag, remove or restore a comparison, mark a response broken or not).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { ZCampaignIdParamsSchema } from '../contract/campaign';
import {
  ZAdjudicationBodySchema,
  ZAdjudicationResponseSchema,
  ZBrokenResponseSchema,
  ZComparisonDetailSchema,
  ZComparisonListQuerySchema,
  ZComparisonListSchema,
  ZFlagActionResponseSchema,
  ZFlagQueueQuerySchema,
  ZFlagQueueSchema,
  ZIdParamsSchema,
  ZRemovalResponseSchema,
  ZReviewActionBodySchema,
} from '../contract/review';
import { requireAuth, type Access } from '../plugins/auth';
import type { Auth } from '../services/auth/authenticate';
import { campaignOfReviewTarget } from '../services/auth/campaign-of';
import type { ServiceContext } from '../services/context';
import { adjudicateComparison } from '../services/review/adjudicate-comparison';
import { getComparison } from '../services/review/get-comparison';
import { listComparisons } from '../services/review/list-comparisons';
import { listFlags } from '../services/review/list-flags';
import { setComparisonRemoval } from '../services/review/set-comparison-removal';
import { setFlagDismissal } from '../services/review/set-flag-dismissal';
import { setResponseBrokenState } from '../services/review/set-response-broken';

const tags = ['review'];
/** Who may review: admins, and the campaign's reviewers (the campaign found from the path's comparison, flag or response). */
export const REVIEW_ACCESS: Access = 'reviewer';
const config = { access: REVIEW_ACCESS, campaignOf: campaignOfReviewTarget };

type ActionInput = { id: number; reason: string | null; actor: Auth };

interface ReviewAction {
  path: string;
  summary: string;
  response: z.ZodType;
  run(ctx: ServiceContext, input: ActionInput): Promise<unknown>;
}

/** The queue's actions: each recorded in the audit trail and undone by its pair. */
const REVIEW_ACTIONS: ReviewAction[] = [
  ...([true, false] as const).map((dismissed) => ({
    path: `/flags/:id/${dismissed ? 'dismiss' : 'reopen'}`,
    summary: dismissed ? 'Dismiss a flag: the comparison stays (recorded, reversible)' : 'Reopen a dismissed flag',
    response: ZFlagActionResponseSchema,
    run: (ctx: ServiceContext, { id, reason, actor }: ActionInput) => setFlagDismissal(ctx, { flagId: id, dismissed, reason, actor }),
  })),
  ...([true, false] as const).map((removed) => ({
    path: `/comparisons/:id/${removed ? 'remove' : 'restore'}`,
    summary: removed
      ? 'Remove a comparison: no longer served, out of stats and exports from now on, still listed as removed (recorded, reversible)'
      : 'Restore a removed comparison',
    response: ZRemovalResponseSchema,
    run: (ctx: ServiceContext, { id, reason, actor }: ActionInput) =>
      setComparisonRemoval(ctx, { comparisonId: id, removed, reason, actor }),
  })),
  ...([true, false] as const).map((broken) => ({
    path: `/responses/:id/${broken ? 'mark-broken' : 'unmark-broken'}`,
    summary: broken
      ? 'Mark a response broken: every comparison it is in is removed (recorded, reversible)'
      : 'Unmark a broken response: its comparisons come back unless removed otherwise',
    response: ZBrokenResponseSchema,
    run: (ctx: ServiceContext, { id, reason, actor }: ActionInput) =>
      setResponseBrokenState(ctx, { responseId: id, broken, reason, actor }),
  })),
];

export const reviewRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/comparisons/:id/adjudicate',
    {
      config,
      schema: {
        tags,
        summary: "Adjudicate a disputed comparison with its k judgments in: the answer is gold for raters who never had it and exports may prefer it (recorded, reversible)",
        params: ZIdParamsSchema,
        body: ZAdjudicationBodySchema,
        response: { 200: ZAdjudicationResponseSchema },
      },
    },
    async (request) =>
      adjudicateComparison(app.ctx, { comparisonId: request.params.id, choice: request.body.choice, note: request.body.note || null, actor: requireAuth(request) }),
  );

  app.post(
    '/comparisons/:id/withdraw-adjudication',
    {
      config,
      schema: { tags, summary: 'Withdraw the adjudicated answer of a comparison', params: ZIdParamsSchema, body: ZReviewActionBodySchema, response: { 200: ZAdjudicationResponseSchema } },
    },
    async (request) => adjudicateComparison(app.ctx, { comparisonId: request.params.id, choice: null, note: request.body.reason ?? null, actor: requireAuth(request) }),
  );

  app.get(
    '/campaigns/:id/comparisons',
    {
      config,
      schema: {
        tags,
        summary: 'Comparisons of a campaign, filtered, newest activity or most disputed first, in keyset pages',
        params: ZCampaignIdParamsSchema,
        querystring: ZComparisonListQuerySchema,
        response: { 200: ZComparisonListSchema },
      },
    },
    async (request) => listComparisons(app.ctx, request.params.id, request.query),
  );

  app.get(
    '/comparisons/:id',
    {
      config,
      schema: {
        tags,
        summary: 'One comparison: prompt, both responses with their models, every judgment (undone and excluded ones marked) and flag',
        params: ZIdParamsSchema,
        response: { 200: ZComparisonDetailSchema },
      },
    },
    async (request) => getComparison(app.ctx, request.params.id),
  );

  app.get(
    '/campaigns/:id/flags',
    {
      config,
      schema: {
        tags,
        summary: "The campaign's flags, newest first, filtered by reason and state, in keyset pages",
        params: ZCampaignIdParamsSchema,
        querystring: ZFlagQueueQuerySchema,
        response: { 200: ZFlagQueueSchema },
      },
    },
    async (request) => listFlags(app.ctx, request.params.id, request.query),
  );

  for (const action of REVIEW_ACTIONS) {
    app.post(
      action.path,
      {
        config,
        schema: { tags, summary: action.summary, params: ZIdParamsSchema, body: ZReviewActionBodySchema, response: { 200: action.response } },
      },
      async (request) => action.run(app.ctx, { id: request.params.id, reason: request.body.reason ?? null, actor: requireAuth(request) }),
    );
  }
};
