// Accounts: the list, deactivating or reactivating one, changing one's role.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ZIdParamsSchema, ZUserListItemSchema, ZUserListSchema } from '../../contract/auth';
import { ZSetUserRoleRequestSchema } from '../../contract/team';
import { requireAuth } from '../../plugins/auth';
import { listUsers } from '../../services/auth/list-users';
import { activateUser, deactivateUser } from '../../services/auth/set-user-active';
import { setUserRole } from '../../services/auth/set-user-role';

export const usersRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ctx } = app;
  const tags = ['auth'];

  app.get(
    '/users',
    { config: { access: 'admin' }, schema: { tags, summary: 'All accounts', response: { 200: ZUserListSchema } } },
    async () => ({ users: await listUsers(ctx) }),
  );

  app.post(
    '/users/:id/deactivate',
    {
      config: { access: 'admin' },
      schema: { tags, summary: 'Deactivate an account; its sessions and tokens stop working at once', params: ZIdParamsSchema, response: { 200: ZUserListItemSchema } },
    },
    async (request) => deactivateUser(ctx, requireAuth(request), request.params.id),
  );

  app.post(
    '/users/:id/activate',
    {
      config: { access: 'admin', sessionOnly: true },
      schema: { tags, summary: 'Reactivate an account (from a logged-in session only)', params: ZIdParamsSchema, response: { 200: ZUserListItemSchema } },
    },
    async (request) => activateUser(ctx, requireAuth(request), request.params.id),
  );

  app.post(
    '/users/:id/role',
    {
      config: { access: 'admin', sessionOnly: true },
      schema: {
        tags,
        summary: "Change an account's role (admin or rater); never your own, never leaving no active admin. From a logged-in session only",
        params: ZIdParamsSchema,
        body: ZSetUserRoleRequestSchema,
        response: { 200: ZUserListItemSchema },
      },
    },
    async (request) => setUserRole(ctx, requireAuth(request), request.params.id, request.body.role),
  );
};
