// A campaign's Raters tab: who its raters are, and adding an existing account to them.
import type { TCampaignMemberListItem } from '$contract/auth';
import { addCampaignMember, fetchCampaignMembers } from '../api/invites';
import { Action } from './action.svelte';

export class CampaignMemberList {
  members = $state<TCampaignMemberListItem[] | null>(null);
  readonly loading = new Action();
  readonly adding = new Action();
  /** Said to screen readers after an account is added. */
  status = $state('');

  constructor(private readonly campaignId: string) {}

  refresh(): Promise<void> {
    return this.loading.run(async () => {
      this.members = await fetchCampaignMembers(this.campaignId);
    });
  }

  /** Resolves true once added, so the form can clear its choice. */
  async add(userId: string, name: string): Promise<boolean> {
    await this.adding.run(async () => {
      await addCampaignMember(this.campaignId, userId);
      this.status = `${name} can now rate this campaign.`;
    });
    if (this.adding.error) return false;
    await this.refresh();
    return true;
  }
}
