// Users page: every account with its role and whether it may log in; deactivating and reactivating; changing roles.
import type { Role, TUserListItem } from '$contract/auth';
import { fetchUsers, setUserActive, setUserRole } from '../api/users';
import { Action } from './action.svelte';

export class UserList {
  users = $state<TUserListItem[] | null>(null);
  readonly loading = new Action();
  readonly changing = new Action();
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
}
