// Helpers for the account tests: a clock the test moves by hand, users with real passwords, logging in
// through the API, and a campaign to hang memberships on.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Response } from 'supertest';
import type { Role } from '../../server/contract/auth';
import { SESSION_COOKIE } from '../../server/plugins/auth';
import { hashPassword } from '../../server/services/auth/password';
import type { Clock } from '../../server/services/context';
import { client, type TestUser } from './app';

export class ManualClock implements Clock {
  private t = Date.now();
  now(): Date {
    return new Date(this.t);
  }
  advanceMinutes(minutes: number): void {
    this.advanceMs(minutes * 60_000);
  }
  advanceMs(ms: number): void {
    this.t += ms;
  }
}

export const PASSWORD = 'correct horse battery staple';

/** A user with PASSWORD as password, and no session yet. */
export async function createUserWithPassword(app: FastifyInstance, role: Role = 'RATER', password = PASSWORD) {
  const email = `${role.toLowerCase()}-${randomUUID()}@juxta.test`;
  const user = await app.ctx.db.prisma.user.create({ data: { email, name: `Test ${role.toLowerCase()}`, role, passwordHash: await hashPassword(password) } });
  return { id: user.id, email, role, password };
}

/** The value of the session cookie a reply set, or null when it set none (or cleared it). */
export function sessionCookieOf(res: Response): string | null {
  const raw = res.headers['set-cookie'] as unknown as string[] | undefined;
  const line = raw?.find((c) => c.startsWith(`${SESSION_COOKIE}=`));
  const value = line?.slice(SESSION_COOKIE.length + 1).split(';')[0];
  return value ? decodeURIComponent(value) : null;
}

/** Logs in through the API and returns the user with the session cookie it got. */
export async function logIn(app: FastifyInstance, user: { id: string; email: string; role: Role; password: string }): Promise<TestUser> {
  const res = await client(app).post('/api/auth/login').send({ email: user.email, password: user.password }).expect(200);
  const session = sessionCookieOf(res);
  if (!session) throw new Error('login set no session cookie');
  return { id: user.id, email: user.email, role: user.role, session };
}

export async function createCampaign(app: FastifyInstance, status: 'ACTIVE' | 'PAUSED' | 'DRAFT' | 'ARCHIVED' = 'ACTIVE') {
  return app.ctx.db.prisma.campaign.create({
    data: { name: `Campaign ${randomUUID().slice(0, 8)}`, status, design: {}, pairing: { kind: 'all' }, seed: randomUUID() },
  });
}
