// API tokens for scripts (admin): create (the secret is in this reply only), list, revoke.
import {
  ZApiTokenListSchema,
  ZApiTokenSchema,
  ZCreateApiTokenResponseSchema,
  type TApiToken,
  type TCreateApiTokenBody,
  type TCreateApiTokenResponse,
} from '$contract/api-tokens';
import { apiRequest } from './client';

export const fetchTokens = async (): Promise<TApiToken[]> => (await apiRequest('GET', '/api/tokens', ZApiTokenListSchema)).tokens;

export const createToken = (body: TCreateApiTokenBody): Promise<TCreateApiTokenResponse> =>
  apiRequest('POST', '/api/tokens', ZCreateApiTokenResponseSchema, body);

export const revokeToken = (id: string): Promise<TApiToken> =>
  apiRequest('DELETE', `/api/tokens/${encodeURIComponent(id)}`, ZApiTokenSchema);
