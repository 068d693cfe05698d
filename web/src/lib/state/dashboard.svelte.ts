// The stats dashboard of one campaign: its figures for the chosen criterion and both-bad rule, the rater
// table's sort order, and excluding or re-including raters.
import type { TCampaign } from '$contract/campaign';
import type { TCampaignStats, TRaterStats } from '$contract/stats';
import { toApiError, type ApiError } from '../api/api-error';
import { fetchCampaignStats, fetchStatsCampaign, setRaterExcluded } from '../api/stats';
import { loadPlot } from '../components/charts/load-plot';
import { Action } from './action.svelte';

export type RaterSortKey =
  | 'name'
  | 'judgments'
  | 'agreementWithOthers'
  | 'pairKappa'
  | 'goldAccuracy'
  | 'leftShare'
  | 'longerShare'
  | 'medianTimeMs'
  | 'fastShare'
  | 'flags'
  | 'review'
  | 'excluded';

export interface RaterSort {
  key: RaterSortKey;
  descending: boolean;
}

const sortValue = (rater: TRaterStats, key: RaterSortKey): string | number | null => {
  if (key === 'review') return rater.review.length;
  if (key === 'excluded') return rater.excluded ? 1 : 0;
  return rater[key];
};

/** Raters in the chosen order; missing figures go last whichever the direction, ties keep name order. */
export function sortRaters(raters: readonly TRaterStats[], { key, descending }: RaterSort): TRaterStats[] {
  const byName = (a: TRaterStats, b: TRaterStats) => a.name.localeCompare(b.name, 'en', { numeric: true });
  return [...raters].sort((a, b) => {
    const x = sortValue(a, key);
    const y = sortValue(b, key);
    if (x === null || y === null) return x === y ? byName(a, b) : x === null ? 1 : -1;
    const order = typeof x === 'string' ? x.localeCompare(String(y), 'en', { numeric: true }) : x - (y as number);
    return (descending ? -order : order) || byName(a, b);
  });
}

export class Dashboard {
  campaign = $state<TCampaign | null>(null);
  stats = $state<TCampaignStats | null>(null);
  /** null: the overall choice. */
  criterion = $state<string | null>(null);
  bothBad = $state<'tie' | 'drop'>('tie');
  /** Which judgments the leaderboard and the stopping rule rest on: all, or the uniform arm alone (unbiased). */
  arm = $state<'all' | 'uniform'>('all');
  loading = $state(false);
  error = $state<ApiError | null>(null);
  sort = $state<RaterSort>({ key: 'review', descending: true });
  exclusion = new Action();
  /** What the last exclusion or inclusion did, for the status line. */
  notice = $state<string | null>(null);

  raters = $derived(sortRaters(this.stats?.raters ?? [], this.sort));
  forReview = $derived((this.stats?.raters ?? []).filter((r) => r.review.length > 0 && !r.excluded));

  /** Only the newest request may write its answer, so quick switches never show stale figures. */
  #request = 0;

  constructor(readonly campaignId: string) {}

  /**
   * The campaign and the stats are asked for together and each shown as it arrives (the campaign first:
   * the page's frame and first numbers do not wait for the stats); the chart library loads meanwhile.
   */
  async load(): Promise<void> {
    const request = ++this.#request;
    this.loading = true;
    this.error = null;
    loadPlot().catch(() => {}); // PlotFigure reports a failed download
    const fail = (caught: unknown) => {
      if (request === this.#request) this.error = toApiError(caught);
    };
    const campaign = this.campaign
      ? Promise.resolve()
      : fetchStatsCampaign(this.campaignId).then((campaign) => {
          if (request === this.#request) this.campaign = campaign;
        }, fail);
    try {
      const stats = await fetchCampaignStats(this.campaignId, { criterion: this.criterion ?? undefined, bothBad: this.bothBad, arm: this.arm });
      if (request === this.#request) this.stats = stats;
    } catch (caught) {
      fail(caught);
    } finally {
      await campaign;
      if (request === this.#request) this.loading = false;
    }
  }

  setCriterion(criterion: string | null): Promise<void> {
    this.criterion = criterion;
    return this.load();
  }

  setBothBad(bothBad: 'tie' | 'drop'): Promise<void> {
    this.bothBad = bothBad;
    return this.load();
  }

  setArm(arm: 'all' | 'uniform'): Promise<void> {
    this.arm = arm;
    return this.load();
  }

  /** The same column again flips the direction; a new column starts with the largest (or A to Z for names). */
  sortBy(key: RaterSortKey): void {
    this.sort = this.sort.key === key ? { key, descending: !this.sort.descending } : { key, descending: key !== 'name' };
  }

  setExcluded(rater: TRaterStats, excluded: boolean, reason?: string): Promise<void> {
    return this.exclusion.run(async () => {
      const result = await setRaterExcluded(this.campaignId, rater.id, excluded, reason);
      const comparisons = `${result.comparisonsAffected} comparison${result.comparisonsAffected === 1 ? '' : 's'}`;
      this.notice = excluded
        ? `${rater.name} is excluded: ${comparisons} reopened for other raters` +
          (result.leasesClosed > 0 ? `, ${result.leasesClosed} open assignment${result.leasesClosed === 1 ? '' : 's'} closed.` : '.')
        : `${rater.name} is included again: their judgments count in ${comparisons}.`;
      await this.load();
    });
  }
}
