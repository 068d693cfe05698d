// Pending invites (a campaign's, or everyone's): the pages loaded so far, the next page's cursor, revoking one.
import type { TInviteListItem } from '$contract/invites';
import { fetchInvitePage, revokeInvite } from '../api/invite-lists';
import { Action } from './action.svelte';

export class PendingInviteList {
  invites = $state<TInviteListItem[] | null>(null);
  nextCursor = $state<string | null>(null);
  /** Used, expired and revoked invites too. */
  showAll = $state(false);
  readonly loading = new Action();
  readonly revoking = new Action();
  /** Said to screen readers after a revocation. */
  status = $state('');

  /** `campaignId`: that campaign's invites; none: everyone's. */
  constructor(private readonly campaignId?: string) {}

  /** Starts over from the newest. */
  refresh(): Promise<void> {
    return this.loading.run(async () => {
      const page = await fetchInvitePage({ campaignId: this.campaignId, all: this.showAll }, null);
      this.invites = page.items;
      this.nextCursor = page.nextCursor;
    });
  }

  loadMore(): Promise<void> {
    const cursor = this.nextCursor;
    if (!cursor) return Promise.resolve();
    return this.loading.run(async () => {
      const page = await fetchInvitePage({ campaignId: this.campaignId, all: this.showAll }, cursor);
      this.invites = [...(this.invites ?? []), ...page.items];
      this.nextCursor = page.nextCursor;
    });
  }

  revoke(invite: TInviteListItem): Promise<void> {
    return this.revoking.run(async () => {
      const revoked = await revokeInvite(invite.id);
      // Pending only: it leaves the list; with every state shown it stays, marked revoked.
      this.invites = this.showAll ? (this.invites ?? []).map((i) => (i.id === revoked.id ? revoked : i)) : (this.invites ?? []).filter((i) => i.id !== revoked.id);
      this.status = `The invite for ${invite.email ?? 'anyone with the link'} is revoked; its link no longer works.`;
    });
  }
}
