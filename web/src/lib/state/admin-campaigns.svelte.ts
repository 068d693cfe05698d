// The admin's campaign list and the "new campaign" form.
import type { TCampaign } from '$contract/campaign';
import { createCampaign, fetchCampaigns } from '../api/campaigns';
import { Action } from './action.svelte';

export class CampaignList {
  campaigns = $state<TCampaign[] | null>(null);
  readonly loading = new Action();
  readonly creating = new Action();
  /** Archived campaigns are left out unless the admin asks for them. */
  showArchived = $state(false);

  refresh(): Promise<void> {
    return this.loading.run(async () => {
      this.campaigns = await fetchCampaigns({ archived: this.showArchived });
    });
  }

  /** A name alone is enough: the server fills in every other setting. Resolves with the new campaign, or null on failure. */
  async create(name: string): Promise<TCampaign | null> {
    let created: TCampaign | null = null;
    await this.creating.run(async () => {
      created = await createCampaign({ name });
    });
    return created;
  }
}
