// All accounts, for the admins' user list.
import type { TUserListItem } from '../../contract/auth';
import { listUsers as selectUsers } from '../../db/repositories/users';
import type { ServiceContext } from '../context';
import { toUserListItem } from './views';

export async function listUsers(ctx: ServiceContext): Promise<TUserListItem[]> {
  return (await selectUsers(ctx.db)).map(toUserListItem);
}
