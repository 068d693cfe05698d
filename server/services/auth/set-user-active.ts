// Deactivating and reactivating accounts. Deactivation revokes every session and token in the same
// transaction, so they stop working at once and do not come back with a reactivation.
import type { TUserListItem } from '../../contract/auth';
import { revokeAllCredentials } from '../../db/repositories/credentials';
import { findUserById, lockActiveAdmins, setUserActive } from '../../db/repositories/users';
import { AppError } from '../../errors';
import type { ServiceContext } from '../context';
import type { AuthUser } from './authenticate';
import { toUserListItem } from './views';

function notFound(): AppError {
  return new AppError('NOT_FOUND', 'No user has this id; list the users to find it.');
}

export async function deactivateUser(ctx: ServiceContext, actor: AuthUser, userId: string): Promise<TUserListItem> {
  if (userId === actor.id) throw new AppError('CONFLICT', 'You cannot deactivate your own account; ask another admin.');
  const now = ctx.clock.now();
  const user = await ctx.db.prisma.$transaction(async (tx) => {
    const admins = await lockActiveAdmins(tx);
    const target = await findUserById(tx, userId);
    if (!target) throw notFound();
    if (admins.length === 1 && admins[0] === userId) throw new AppError('CONFLICT', 'This is the last active admin; make another admin first.');
    await revokeAllCredentials(tx, userId, now);
    return target.active ? setUserActive(tx, userId, false, now) : target;
  });
  return toUserListItem(user);
}

export async function activateUser(ctx: ServiceContext, userId: string): Promise<TUserListItem> {
  if (!(await findUserById(ctx.db.prisma, userId))) throw notFound();
  return toUserListItem(await setUserActive(ctx.db.prisma, userId, true, ctx.clock.now()));
}
