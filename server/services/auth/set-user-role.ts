// Changing an account's role (admin <-> rater). Nobody changes their own role, and no change may leave
// zero active admins: the active admins' rows are locked first (the same lock deactivation takes), so two
// admins demoting each other at the same moment cannot both succeed.
import type { Role, TUserListItem } from '../../contract/auth';
import { forgetCachedSessions, revokeApiTokensOf } from '../../db/repositories/credentials';
import { findUserById, lockActiveAdmins, updateUser } from '../../db/repositories/users';
import { AppError } from '../../errors';
import { recordAuditEvent } from '../audit/record-audit-event';
import type { ServiceContext } from '../context';
import type { Auth } from './authenticate';
import { toUserListItem } from './views';

export async function setUserRole(ctx: ServiceContext, actor: Auth, userId: string, role: Role): Promise<TUserListItem> {
  if (userId === actor.user.id) throw new AppError('CANNOT_CHANGE_OWN_ROLE', 'You cannot change your own role; ask another admin.');
  const now = ctx.clock.now();
  const user = await ctx.db.transaction(async (tx) => {
    const admins = await lockActiveAdmins(tx);
    // The actor may have been demoted or deactivated by a request that committed while this one waited for the lock.
    if (!admins.includes(actor.user.id)) throw new AppError('FORBIDDEN', 'You are no longer an active admin.');
    const target = await findUserById(tx, userId);
    if (!target) throw new AppError('NOT_FOUND', 'No user has this id; list the users to find it.');
    if (target.role === role) return target;
    if (role === 'RATER' && admins.length === 1 && admins[0] === userId) {
      throw new AppError('LAST_ADMIN', 'This is the last active admin; make another admin first.');
    }
    const changed = await updateUser(tx, userId, { role });
    // A rater has no API tokens: a demoted admin's tokens are revoked, so promoting them again does not revive them.
    const tokensRevoked = role === 'RATER' ? await revokeApiTokensOf(tx, userId, now) : 0;
    await recordAuditEvent(ctx, tx, actor, {
      action: 'user.role',
      target: { type: 'user', id: userId },
      before: { email: target.email, role: target.role },
      after: { role, scriptCredentialsRevoked: tokensRevoked },
    });
    return changed;
  });
  // Sessions cache the user's role for a few seconds: this instance forgets them now (others hear NOTIFY).
  forgetCachedSessions(ctx.db, { userId });
  return toUserListItem(user);
}
