// Your own account (password, sessions) and password resets: made by an admin, asked for by email, used.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  ZChangePasswordRequestSchema,
  ZChangePasswordResponseSchema,
  ZCompletePasswordResetRequestSchema,
  ZCreatePasswordResetResponseSchema,
  ZPasswordResetInfoSchema,
  ZPasswordResetTokenParamsSchema,
  ZRequestPasswordResetResponseSchema,
  ZRequestPasswordResetSchema,
  ZSessionListSchema,
} from '../../contract/account';
import { ZIdParamsSchema, ZMeResponseSchema } from '../../contract/auth';
import { requireAuth } from '../../plugins/auth';
import { changeOwnPassword } from '../../services/auth/change-password';
import { endOwnSession, listOwnSessions } from '../../services/auth/own-sessions';
import { completePasswordReset, createPasswordReset, describePasswordReset, requestPasswordReset } from '../../services/auth/password-resets';
import { clientInfo, PASSWORD_ROUTE_LIMIT, setSessionCookie } from './session';

export const accountRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ctx } = app;
  const secure = ctx.config.session.secureCookie;
  const tags = ['account'];

  app.post(
    '/me/password',
    {
      config: { access: 'user', sessionOnly: true, campaignOf: 'none', rateLimit: PASSWORD_ROUTE_LIMIT },
      schema: {
        tags,
        summary: 'Change your password (the current one required); your other sessions end',
        body: ZChangePasswordRequestSchema,
        response: { 200: ZChangePasswordResponseSchema },
      },
    },
    async (request) => changeOwnPassword(ctx, requireAuth(request), request.body, request.ip ?? null),
  );

  app.get(
    '/me/sessions',
    {
      config: { access: 'user', sessionOnly: true, campaignOf: 'none' },
      schema: { tags, summary: 'Your live sessions: device, address, last seen', response: { 200: ZSessionListSchema } },
    },
    async (request) => ({ sessions: await listOwnSessions(ctx, requireAuth(request)) }),
  );

  app.delete(
    '/me/sessions/:id',
    {
      config: { access: 'user', sessionOnly: true, campaignOf: 'none' },
      schema: { tags, summary: 'End one of your sessions (this one too: a logout)', params: ZIdParamsSchema },
    },
    async (request, reply) => {
      await endOwnSession(ctx, requireAuth(request), request.params.id);
      return reply.status(204).send();
    },
  );

  app.post(
    '/users/:id/password-reset',
    {
      config: { access: 'admin', sessionOnly: true },
      schema: {
        tags,
        summary: 'Make a one-time link that sets a new password for the account (shown once; expires in 24 hours)',
        params: ZIdParamsSchema,
        response: { 201: ZCreatePasswordResetResponseSchema },
      },
    },
    async (request, reply) => reply.status(201).send(await createPasswordReset(ctx, requireAuth(request), request.params.id)),
  );

  app.post(
    '/auth/password-reset',
    {
      config: { access: 'public', rateLimit: PASSWORD_ROUTE_LIMIT },
      schema: {
        tags,
        summary: 'Ask for a reset link by email (when the server has SMTP_URL); the reply never says whether the email has an account',
        body: ZRequestPasswordResetSchema,
        response: { 202: ZRequestPasswordResetResponseSchema },
      },
    },
    async (request, reply) => reply.status(202).send(requestPasswordReset(ctx, request.body.email)),
  );

  app.get(
    '/password-resets/:token',
    {
      config: { access: 'public' },
      schema: { tags, summary: 'Which account a reset link is for, and until when it works', params: ZPasswordResetTokenParamsSchema, response: { 200: ZPasswordResetInfoSchema } },
    },
    async (request) => describePasswordReset(ctx, request.params.token),
  );

  app.post(
    '/password-resets/:token',
    {
      config: { access: 'public', rateLimit: PASSWORD_ROUTE_LIMIT },
      schema: {
        tags,
        summary: 'Set a new password with a reset link: every session of the account ends, and you are logged in',
        params: ZPasswordResetTokenParamsSchema,
        body: ZCompletePasswordResetRequestSchema,
        response: { 200: ZMeResponseSchema },
      },
    },
    async (request, reply) => {
      const { session, me } = await completePasswordReset(ctx, request.params.token, request.body.newPassword, clientInfo(request));
      setSessionCookie(reply, session, secure);
      return me;
    },
  );
};
