// Accounts: login, logout, the current user, invites.
import {
  ZInviteInfoSchema,
  ZMeResponseSchema,
  type TAcceptInviteRequest,
  type TInviteInfo,
  type TLoginRequest,
  type TMeResponse,
} from '$contract/auth';
import { apiRequest, apiSend } from './client';

export const fetchMe = (): Promise<TMeResponse> => apiRequest('GET', '/api/me', ZMeResponseSchema);

export const login = (body: TLoginRequest): Promise<TMeResponse> =>
  apiRequest('POST', '/api/auth/login', ZMeResponseSchema, body);

export const logout = (): Promise<void> => apiSend('POST', '/api/auth/logout');

const invitePath = (token: string) => `/api/invites/${encodeURIComponent(token)}`;

export const fetchInvite = (token: string): Promise<TInviteInfo> => apiRequest('GET', invitePath(token), ZInviteInfoSchema);

/** Creates the account (or joins an existing one) and logs in. */
export const acceptInvite = (token: string, body: TAcceptInviteRequest): Promise<TMeResponse> =>
  apiRequest('POST', `${invitePath(token)}/accept`, ZMeResponseSchema, body);
