// Turns a session cookie or an API token into the user it belongs to, enforcing expiry and deactivation.
import type { TokenScope } from '../../contract/api-tokens';
import type { Role } from '../../contract/auth';
import { findApiTokenByHash, findSessionByTokenHash, noteSessionTouched, type SessionWithUser, touchApiToken, touchSession } from '../../db/repositories/credentials';
import type { ServiceContext } from '../context';
import { hashSecret } from './secrets';
import { tokenScopes } from './views';

export interface AuthUser {
  id: string;
  email: string;
  name: string;
  role: Role;
}

export interface Auth {
  user: AuthUser;
  via: 'session' | 'token';
  /** The session or API token id. */
  credentialId: string;
  /** For an API token: what it may reach (routes declare the scope they need, server/plugins/auth.ts). */
  token?: ApiTokenGrant;
}

export interface ApiTokenGrant {
  scopes: TokenScope[];
  /** null: every campaign. */
  campaignIds: string[] | null;
}

// Writing lastSeenAt on every request would put a write on the rater's hot path; a minute's precision is plenty.
const TOUCH_EVERY_MS = 60_000;

export async function authenticateSession(ctx: ServiceContext, token: string): Promise<Auth | null> {
  const tokenHash = hashSecret(token);
  const now = ctx.clock.now();
  const usable = (s: SessionWithUser | null): s is SessionWithUser =>
    !!s && !s.revokedAt && s.user.active && s.expiresAt > now && s.lastSeenAt.getTime() + ctx.config.session.idleMinutes * 60_000 > now.getTime();
  let session = await findSessionByTokenHash(ctx.db, tokenHash);
  // A cached copy may carry an older lastSeenAt (another instance touched it): refuse only on a fresh read.
  if (!usable(session)) session = await findSessionByTokenHash(ctx.db, tokenHash, { fresh: true });
  if (!usable(session)) return null;
  if (now.getTime() - session.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
    await touchSession(ctx.db, session.id, now);
    noteSessionTouched(ctx.db, tokenHash, now);
  }
  return { user: session.user, via: 'session', credentialId: session.id };
}

export async function authenticateApiToken(ctx: ServiceContext, token: string): Promise<Auth | null> {
  const row = await findApiTokenByHash(ctx.db, hashSecret(token));
  if (!row || row.revokedAt || !row.user.active || row.user.role !== 'ADMIN') return null;
  const now = ctx.clock.now();
  if (row.expiresAt && row.expiresAt <= now) return null;
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > TOUCH_EVERY_MS) await touchApiToken(ctx.db, row.id, now);
  return {
    user: row.user,
    via: 'token',
    credentialId: row.id,
    token: { scopes: tokenScopes(row.scopes), campaignIds: row.campaignIds.length === 0 ? null : row.campaignIds },
  };
}
