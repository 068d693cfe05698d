// Accounts (admin): list, deactivate (sessions and tokens stop at once), reactivate, change a role.
import { ZUserListItemSchema, ZUserListSchema, type Role, type TUserListItem } from '$contract/auth';
import { apiRequest } from './client';

export const fetchUsers = async (): Promise<TUserListItem[]> => (await apiRequest('GET', '/api/users', ZUserListSchema)).users;

export const setUserActive = (id: string, active: boolean): Promise<TUserListItem> =>
  apiRequest('POST', `/api/users/${encodeURIComponent(id)}/${active ? 'activate' : 'deactivate'}`, ZUserListItemSchema);

export const setUserRole = (id: string, role: Role): Promise<TUserListItem> =>
  apiRequest('POST', `/api/users/${encodeURIComponent(id)}/role`, ZUserListItemSchema, { role });
