// Users page: every account with its role and whether it may log in; deactivating and reactivating; changing roles;
// one-time password reset links (shown once).
import type { Role, TUserListItem } from '$contract/auth';
import type { TCreatePasswordResetResponse } from '$contract/account';
import { createPasswordReset } from '../api/account';
import { fetchUsers, setUserActive, setUserRole } from '../api/users';
import { Action } from './action.svelte';

export class UserList {
  users = $state<TUserListItem[] | null>(null);
  readonly loading = new Action();
  readonly changing = new Action();
  /** The reset link just made, for whom; shown once (only its hash is stored). */
  resetLink = $state<(TCreatePasswordResetResponse & { user: TUserListItem }) | null>(null);
  /** Said to screen readers after a change. */
  status = $state('');

  refresh(): Promise<void> {
    return this.loading.run(async () => {
      this.users = await fetchUsers();
    });
  }

  setActive(user: TUserListItem, active: boolean): Promise<void> {
    return this.changing.run(async () => {
      const updated = await setUserActive(user.id, active);
      this.users = this.users?.map((item) => (item.id === user.id ? updated : item)) ?? null;
      this.status = `${updated.name} is ${updated.active ? 'active again' : 'deactivated'}.`;
    });
  }

  setRole(user: TUserListItem, role: Role): Promise<void> {
    return this.changing.run(async () => {
      const updated = await setUserRole(user.id, role);
      this.users = this.users?.map((item) => (item.id === user.id ? updated : item)) ?? null;
      this.status = `${updated.name} is ${updated.role === 'ADMIN' ? 'an admin' : 'a rater'} now.`;
    });
  }

  makeResetLink(user: TUserListItem): Promise<void> {
    return this.changing.run(async () => {
      this.resetLink = { ...(await createPasswordReset(user.id)), user };
      this.status = `Reset link for ${user.name} made.`;
    });
  }
}
