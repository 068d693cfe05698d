// API tokens page: the list, creating one (its secret is kept only until the admin leaves), revoking.
import type { TApiToken, TCreateApiTokenResponse, TokenScope } from '$contract/api-tokens';
import type { TCampaign } from '$contract/campaign';
import { fetchCampaigns } from '../api/campaigns';
import { createToken, fetchTokens, revokeToken } from '../api/tokens';
import { Action } from './action.svelte';

export interface NewToken {
  name: string;
  expiresInDays: number | null;
  scopes: TokenScope[];
  /** null: every campaign. */
  campaignIds: string[] | null;
}

export class TokenList {
  tokens = $state<TApiToken[] | null>(null);
  /** The campaigns a token may be limited to (archived ones included: their data can still be exported). */
  campaigns = $state<TCampaign[] | null>(null);
  /** The token just created: its secret is shown this once. */
  created = $state<TCreateApiTokenResponse | null>(null);
  readonly loading = new Action();
  readonly creating = new Action();
  readonly revoking = new Action();

  refresh(): Promise<void> {
    return this.loading.run(async () => {
      const [tokens, campaigns] = await Promise.all([fetchTokens(), fetchCampaigns({ archived: true })]);
      this.tokens = tokens;
      this.campaigns = campaigns;
    });
  }

  create(token: NewToken): Promise<void> {
    return this.creating.run(async () => {
      this.created = await createToken({
        name: token.name,
        scopes: token.scopes,
        ...(token.expiresInDays ? { expiresInDays: token.expiresInDays } : {}),
        ...(token.campaignIds ? { campaignIds: token.campaignIds } : {}),
      });
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
