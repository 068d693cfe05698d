// API tokens page: the list, creating one (its secret is kept only until the admin leaves), revoking.
import type { TApiToken, TCreateApiTokenResponse } from '$contract/auth';
import { createToken, fetchTokens, revokeToken } from '../api/tokens';
import { Action } from './action.svelte';

export class TokenList {
  tokens = $state<TApiToken[] | null>(null);
  /** The token just created: its secret is shown this once. */
  created = $state<TCreateApiTokenResponse | null>(null);
  readonly loading = new Action();
  readonly creating = new Action();
  readonly revoking = new Action();

  refresh(): Promise<void> {
    return this.loading.run(async () => {
      this.tokens = await fetchTokens();
    });
  }

  create(name: string, expiresInDays: number | null): Promise<void> {
    return this.creating.run(async () => {
      this.created = await createToken({ name, ...(expiresInDays ? { expiresInDays } : {}) });
      this.tokens = await fetchTokens();
    });
  }

  revoke(id: string): Promise<void> {
    return this.revoking.run(async () => {
      const revoked = await revokeToken(id);
      this.tokens = this.tokens?.map((token) => (token.id === id ? revoked : token)) ?? null;
    });
  }
}
