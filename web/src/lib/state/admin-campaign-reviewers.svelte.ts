// A campaign's reviewers (on its Raters tab): who they are, whether they may export; adding, changing, removing.
import type { TCampaignReviewer } from '$contract/team';
import { fetchCampaignReviewers, removeCampaignReviewer, setCampaignReviewer } from '../api/invites';
import { Action } from './action.svelte';

export class CampaignReviewerList {
  reviewers = $state<TCampaignReviewer[] | null>(null);
  readonly loading = new Action();
  readonly changing = new Action();
  /** Said to screen readers after a change. */
  status = $state('');

  constructor(private readonly campaignId: string) {}

  refresh(): Promise<void> {
    return this.loading.run(async () => {
      this.reviewers = await fetchCampaignReviewers(this.campaignId);
    });
  }

  /** Resolves true once saved, so the form can clear its choice. */
  async set(userId: string, canExport: boolean, name: string): Promise<boolean> {
    await this.changing.run(async () => {
      await setCampaignReviewer(this.campaignId, userId, canExport);
      this.status = `${name} reviews this campaign${canExport ? ' and may export it' : ''}.`;
    });
    if (this.changing.error) return false;
    await this.refresh();
    return true;
  }

  async remove(reviewer: TCampaignReviewer): Promise<void> {
    await this.changing.run(async () => {
      await removeCampaignReviewer(this.campaignId, reviewer.userId);
      this.status = `${reviewer.name} no longer reviews this campaign.`;
    });
    if (!this.changing.error) await this.refresh();
  }
}
