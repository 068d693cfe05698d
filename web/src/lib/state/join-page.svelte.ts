// The join page of a campaign's join link: what the link is for (or why it is closed), and joining with a
// new account or an existing one; single sign-on when the server has it.
import type { TJoinLinkInfo, TJoinRequest } from '$contract/join-links';
import type { TSsoInfo } from '$contract/sso';
import { fetchJoinLinkInfo, joinCampaign } from '../api/join-links';
import { fetchSsoInfo } from '../api/sso';
import { Action } from './action.svelte';
import { session } from './session.svelte';

const CLOSED_CODES = new Set(['JOIN_LINK_USED_UP', 'JOIN_LINK_EXPIRED', 'JOIN_LINK_CLOSED', 'NOT_FOUND']);

export class JoinPage {
  info = $state<TJoinLinkInfo | null>(null);
  sso = $state<TSsoInfo | null>(null);
  readonly loading = new Action();
  readonly joining = new Action();

  constructor(private readonly token: string) {}

  /** The link cannot take anyone (used up, expired, revoked, replaced, unknown): the page offers the login page instead. */
  closed = $derived.by(() => {
    const code = (this.joining.error ?? this.loading.error)?.code;
    return code !== undefined && CLOSED_CODES.has(code);
  });

  load(): Promise<void> {
    return this.loading.run(async () => {
      const [info, sso] = await Promise.all([fetchJoinLinkInfo(this.token), fetchSsoInfo().catch(() => null)]);
      this.info = info;
      this.sso = sso;
    });
  }

  /** Resolves to the campaign to rate once joined (and logged in), or null when refused (`joining.error` says why). */
  async join(body: TJoinRequest): Promise<string | null> {
    let campaignId: string | null = null;
    await this.joining.run(async () => {
      const { campaignId: joined, ...me } = await joinCampaign(this.token, body);
      session.me = me;
      campaignId = joined;
    });
    return campaignId;
  }
}
