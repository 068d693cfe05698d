// Logging out: the session is revoked in the database, so a copied cookie stops working too.
import { forgetCachedSessions, revokeSession } from '../../db/repositories/credentials';
import type { ServiceContext } from '../context';
import type { Auth } from './authenticate';

export async function logout(ctx: ServiceContext, auth: Auth | null): Promise<void> {
  if (auth?.via !== 'session') return;
  await revokeSession(ctx.db, auth.credentialId, ctx.clock.now());
  forgetCachedSessions(ctx.db, { userId: auth.user.id });
}
