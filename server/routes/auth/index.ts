// Accounts and access, one file an area: session (login/logout/me), invites, API tokens, users, campaign members,
// your own account (password, sessions), password resets and campaign join links.
import rateLimit from '@fastify/rate-limit';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AppError } from '../../errors';
import { accountRoutes } from './account';
import { inviteListsRoutes } from './invite-lists';
import { invitesRoutes } from './invites';
import { joinLinksRoutes } from './join-links';
import { membersRoutes } from './members';
import { sessionRoutes } from './session';
import { ssoRoutes } from './sso';
import { tokensRoutes } from './tokens';
import { usersRoutes } from './users';

export const authRoutes: FastifyPluginAsyncZod = async (app) => {
  // Registered here, before the areas, so that every area's routes may declare `config.rateLimit`.
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_request, context) =>
      new AppError('RATE_LIMITED', `Too many attempts from your address; try again in ${Math.ceil(context.ttl / 1000)} seconds.`, {
        retryAfterSeconds: Math.ceil(context.ttl / 1000),
      }),
  });
  await app.register(sessionRoutes);
  await app.register(ssoRoutes);
  await app.register(invitesRoutes);
  await app.register(inviteListsRoutes);
  await app.register(tokensRoutes);
  await app.register(usersRoutes);
  await app.register(membersRoutes);
  await app.register(accountRoutes);
  await app.register(joinLinksRoutes);
};
