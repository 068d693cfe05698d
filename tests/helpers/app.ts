// Test harness: an app on its own fresh database, users made by factories, and HTTP clients that
// carry a session cookie (and our Origin, as a browser would) or an API token.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import request, { type Test } from 'supertest';
import { buildApp, type AppOverrides } from '../../server/app';
import { loadConfig } from '../../server/config';
import type { Role } from '../../server/contract/auth';
import { SESSION_COOKIE } from '../../server/plugins/auth';
import { hashSecret, newSecret } from '../../server/services/auth/secrets';
import { createTestDatabase, type TestDatabase } from './test-db';

export interface TestApp {
  app: FastifyInstance;
  database: TestDatabase;
  close(): Promise<void>;
}

export async function startTestApp(options: { env?: Record<string, string>; overrides?: AppOverrides } = {}): Promise<TestApp> {
  const database = await createTestDatabase();
  const config = loadConfig({
    LOG_LEVEL: 'silent',
    PUBLIC_URL: 'http://juxta.test',
    JUXTA_DEMO: 'false',
    ...database.env,
    ...options.env,
  });
  const app = await buildApp(config, { logger: false, ...options.overrides });
  return {
    app,
    database,
    close: async () => {
      await app.close();
      await database.drop();
    },
  };
}

export interface TestUser {
  id: string;
  email: string;
  role: Role;
  /** Session token for the cookie. */
  session: string;
}

/** A user with a live session; `campaignIds` makes them a member of those campaigns. */
export async function createUser(app: FastifyInstance, role: Role = 'RATER', campaignIds: string[] = []): Promise<TestUser> {
  const { prisma } = app.ctx.db;
  const email = `${role.toLowerCase()}-${randomUUID()}@juxta.test`;
  const user = await prisma.user.create({ data: { email, name: `Test ${role.toLowerCase()}`, role } });
  const session = newSecret(app.ctx.random, 'jxs');
  await prisma.session.create({
    data: { userId: user.id, tokenHash: hashSecret(session), expiresAt: new Date(Date.now() + 86_400_000) },
  });
  for (const campaignId of campaignIds) await prisma.campaignMember.create({ data: { campaignId, userId: user.id } });
  return { id: user.id, email, role, session };
}

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
export type Client = Record<Method, (url: string) => Test>;

/** HTTP client for `user` (or anonymous), sending our Origin like a same-origin browser page. */
export function client(app: FastifyInstance, user?: TestUser | null, bearer?: string): Client {
  const agent = request(app.server);
  const make = (method: Method) => (url: string) => {
    const t = agent[method](url).set('Origin', app.ctx.config.publicUrl);
    if (user) t.set('Cookie', `${SESSION_COOKIE}=${user.session}`);
    if (bearer) t.set('Authorization', `Bearer ${bearer}`);
    return t;
  };
  return { get: make('get'), post: make('post'), put: make('put'), patch: make('patch'), delete: make('delete') };
}
