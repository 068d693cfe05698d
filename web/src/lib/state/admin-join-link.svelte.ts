// A campaign's join link on its Raters tab: the latest link with its counts, making one (which replaces
// the open one), revoking it.
import type { TJoinLink } from '$contract/join-links';
import { createJoinLink, fetchCampaignJoinLink, revokeJoinLink } from '../api/join-links';
import { Action } from './action.svelte';

export class JoinLinkAdmin {
  link = $state<TJoinLink | null>(null);
  loaded = $state(false);
  maxUses = $state(20);
  expiresInHours = $state(168);
  readonly loading = new Action();
  readonly making = new Action();
  readonly revoking = new Action();
  /** Said after a change (and to screen readers). */
  status = $state('');

  constructor(private readonly campaignId: string) {}

  /** Whether making a link now replaces one that still works. */
  replacesOpen = $derived(this.link?.state === 'open');

  refresh(): Promise<void> {
    return this.loading.run(async () => {
      this.link = await fetchCampaignJoinLink(this.campaignId);
      this.loaded = true;
    });
  }

  make(): Promise<void> {
    const replacing = this.replacesOpen;
    return this.making.run(async () => {
      this.link = await createJoinLink(this.campaignId, { maxUses: this.maxUses, expiresInHours: this.expiresInHours });
      this.status = replacing ? 'New join link made; the previous link no longer works.' : 'Join link made.';
    });
  }

  revoke(): Promise<void> {
    return this.revoking.run(async () => {
      this.link = await revokeJoinLink(this.campaignId);
      this.status = 'Join link revoked: nobody else can join through it.';
    });
  }
}
