// A new server-side session for a user who just proved who they are: a fresh random token (rotation at
// every login), of which only the hash is stored.
import { createSession } from '../../db/repositories/credentials';
import type { Db } from '../../db/handle';
import type { ServiceContext } from '../context';
import { hashSecret, newSecret } from './secrets';

export interface ClientInfo {
  ip: string | null;
  userAgent: string | null;
}

export interface NewSession {
  /** Goes in the cookie; never stored. */
  token: string;
  /** Absolute expiry (the idle expiry is enforced on each request). */
  expiresAt: Date;
}

export async function startSession(ctx: ServiceContext, userId: string, client: ClientInfo, db: Db = ctx.db): Promise<NewSession> {
  const token = newSecret(ctx.random, 'jxs');
  const now = ctx.clock.now();
  const expiresAt = new Date(now.getTime() + ctx.config.session.maxDays * 86_400_000);
  await createSession(db, {
    userId,
    tokenHash: hashSecret(token),
    createdAt: now,
    expiresAt,
    ip: client.ip,
    userAgent: client.userAgent?.slice(0, 500) ?? null,
  });
  return { token, expiresAt };
}
