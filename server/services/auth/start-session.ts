// A new server-side session for a user who just proved who they are: a fresh random token (rotation at
// every sign-in: password, single sign-on, invite, join or reset link), of which only the hash is stored.
// The session the browser's cookie held before ends with it, whoever it belonged to: the cookie is replaced.
import { createSession, forgetCachedSessions, revokeSessionByTokenHash } from '../../db/repositories/credentials';
import type { Db } from '../../db/handle';
import type { ServiceContext } from '../context';
import { hashSecret, newSecret } from './secrets';

export interface ClientInfo {
  ip: string | null;
  userAgent: string | null;
  /** The session cookie the browser sent with the sign-in, if any: that session ends as the new one starts. */
  previousSessionToken?: string | null;
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
  if (client.previousSessionToken) {
    const tokenHash = hashSecret(client.previousSessionToken);
    await revokeSessionByTokenHash(db, tokenHash, now);
    // In a transaction, the revocation's NOTIFY (migration session_cache_notify) evicts it again at commit.
    forgetCachedSessions(ctx.db, { tokenHash });
  }
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
