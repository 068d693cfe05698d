// Deactivating and reactivating accounts. Deactivation revokes every session and token in the same
// transaction, so they stop working at once and do not come back with a reactivation.
import type { TUserListItem } from '../../contract/auth';
import { forgetCachedSessions, revokeAllCredentials } from '../../db/repositories/credentials';
import { findUserById, lockActiveAdmins, setUserActive } from '../../db/repositories/users';
import { AppError } from '../../errors';
import { recordAuditEvent } from '../audit/record-audit-event';
import type { ServiceContext } from '../context';
import type { Auth } from './authenticate';
import { toUserListItem } from './views';

function notFound(): AppError {
  return new AppError('NOT_FOUND', 'No user has this id; list the users to find it.');
}

export async function deactivateUser(ctx: ServiceContext, actor: Auth, userId: string): Promise<TUserListItem> {
  if (userId === actor.user.id) throw new AppError('CANNOT_DEACTIVATE_SELF', 'You cannot deactivate your own account; ask another admin.');
  const now = ctx.clock.now();
  const user = await ctx.db.transaction(async (tx) => {
    const admins = await lockActiveAdmins(tx);
    const target = await findUserById(tx, userId);
    if (!target) throw notFound();
    if (admins.length === 1 && admins[0] === userId) throw new AppError('LAST_ADMIN', 'This is the last active admin; make another admin first.');
    const revoked = await revokeAllCredentials(tx, userId, now);
    const user = target.active ? await setUserActive(tx, userId, false, now) : target;
    await recordAuditEvent(ctx, tx, actor, {
      action: 'user.deactivate',
      target: { type: 'user', id: userId },
      before: { email: target.email, active: target.active },
      after: { active: false, sessionsRevoked: revoked.sessions, apiTokensRevoked: revoked.tokens },
    });
    return user;
  });
  forgetCachedSessions(ctx.db, { userId });
  return toUserListItem(user);
}

export async function activateUser(ctx: ServiceContext, actor: Auth, userId: string): Promise<TUserListItem> {
  const user = await ctx.db.transaction(async (tx) => {
    const target = await findUserById(tx, userId);
    if (!target) throw notFound();
    const row = await setUserActive(tx, userId, true, ctx.clock.now());
    await recordAuditEvent(ctx, tx, actor, {
      action: 'user.activate',
      target: { type: 'user', id: userId },
      before: { email: target.email, active: target.active },
      after: { active: true },
    });
    return row;
  });
  return toUserListItem(user);
}
