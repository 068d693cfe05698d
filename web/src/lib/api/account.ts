// Your account (password, sessions) and password resets.
import {
  ZChangePasswordResponseSchema,
  ZCreatePasswordResetResponseSchema,
  ZPasswordResetInfoSchema,
  ZRequestPasswordResetResponseSchema,
  ZSessionListSchema,
  type TChangePasswordRequest,
  type TCreatePasswordResetResponse,
  type TPasswordResetInfo,
  type TSession,
} from '$contract/account';
import { ZMeResponseSchema, type TMeResponse } from '$contract/auth';
import { apiRequest, apiSend } from './client';

export const changePassword = async (body: TChangePasswordRequest): Promise<number> =>
  (await apiRequest('POST', '/api/me/password', ZChangePasswordResponseSchema, body)).sessionsEnded;

export const fetchSessions = async (): Promise<TSession[]> => (await apiRequest('GET', '/api/me/sessions', ZSessionListSchema)).sessions;

export const endSession = (id: string): Promise<void> => apiSend('DELETE', `/api/me/sessions/${encodeURIComponent(id)}`);

/** Admin: a one-time link that sets a new password for the account; shown once. */
export const createPasswordReset = (userId: string): Promise<TCreatePasswordResetResponse> =>
  apiRequest('POST', `/api/users/${encodeURIComponent(userId)}/password-reset`, ZCreatePasswordResetResponseSchema);

export const requestPasswordReset = async (email: string): Promise<string> =>
  (await apiRequest('POST', '/api/auth/password-reset', ZRequestPasswordResetResponseSchema, { email })).message;

const resetPath = (token: string) => `/api/password-resets/${encodeURIComponent(token)}`;

export const fetchPasswordReset = (token: string): Promise<TPasswordResetInfo> => apiRequest('GET', resetPath(token), ZPasswordResetInfoSchema);

/** Sets the new password and logs in. */
export const completePasswordReset = (token: string, newPassword: string): Promise<TMeResponse> =>
  apiRequest('POST', resetPath(token), ZMeResponseSchema, { newPassword });
