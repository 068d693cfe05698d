// Single sign-on: whether it is on (and its name), where it starts, and finishing the sign-in the provider sent back to /login.
import { ZSsoCallbackResponseSchema, ZSsoInfoSchema, ZSsoLinkStartResponseSchema, type TSsoCallbackResponse, type TSsoInfo } from '$contract/sso';
import { ApiError } from './api-error';
import { apiRequest } from './client';

/** null when single sign-on is off (the server answers 404). */
export async function fetchSsoInfo(): Promise<TSsoInfo | null> {
  try {
    return await apiRequest('GET', '/api/auth/sso', ZSsoInfoSchema);
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return null;
    throw error;
  }
}

/** A full navigation (not fetch): the server redirects the browser to the provider. */
export const ssoStartUrl = (next: string): string => `/api/auth/sso/start?next=${encodeURIComponent(next)}`;

/** Hands the provider's answer (this page's query string) to the server, which signs the user in. */
export const finishSso = (search: string): Promise<TSsoCallbackResponse> =>
  apiRequest('POST', '/api/auth/sso/callback', ZSsoCallbackResponseSchema, { search });

/** Starts linking the logged-in account to the provider: the provider's URL to send the browser to (the server set the flow cookie). */
export const startSsoLink = async (): Promise<string> => (await apiRequest('POST', '/api/me/sso/link', ZSsoLinkStartResponseSchema)).url;
