// Creating an invite link (a rater for a campaign, or an admin) and showing it to copy.
import type { TCreateInviteRequest, TCreateInviteResponse } from '$contract/auth';
import { createInvite } from '../api/invites';
import { Action } from './action.svelte';

export class InviteForm {
  role = $state<'RATER' | 'ADMIN'>('RATER');
  email = $state('');
  expiresInHours = $state(72);
  created = $state<TCreateInviteResponse | null>(null);
  readonly creating = new Action();

  /** With `campaignId` the person who accepts joins that campaign as a rater. */
  create(campaignId?: string): Promise<void> {
    const body: TCreateInviteRequest = {
      role: this.role,
      expiresInHours: this.expiresInHours,
      ...(this.email.trim() ? { email: this.email.trim() } : {}),
      ...(campaignId ? { campaignId } : {}),
    };
    return this.creating.run(async () => {
      this.created = await createInvite(body);
    });
  }
}
