// The flag review queue: flags newest first, filtered by reason and state, and the reversible actions on a
// flag's comparison or response; after an action the rows loaded so far are read again, so every row
// sharing that comparison or response shows its new state.
import { FLAG_REASONS, FLAG_STATES, type TFlagQueue } from '$contract/review';
import { fetchFlagPage, runReviewAction, type ReviewActionName } from '../api/review';
import { Action } from './action.svelte';

export type FlagItem = TFlagQueue['items'][number];
export type FlagReason = (typeof FLAG_REASONS)[number];
export type FlagState = (typeof FLAG_STATES)[number];

export class FlagQueue {
  reason = $state<FlagReason | ''>('');
  state = $state<FlagState | ''>('open');
  items = $state<FlagItem[] | null>(null);
  nextCursor = $state<string | null>(null);
  readonly loading = new Action();
  readonly acting = new Action();
  notice = $state('');
  #applied: { reason?: string; state?: string } = {};

  constructor(readonly campaignId: string) {}

  search(): Promise<void> {
    const filters = { reason: this.reason || undefined, state: this.state || undefined };
    return this.loading.run(async () => {
      const page = await fetchFlagPage(this.campaignId, filters, null);
      this.#applied = filters;
      this.items = page.items;
      this.nextCursor = page.nextCursor;
    });
  }

  loadMore(): Promise<void> {
    const cursor = this.nextCursor;
    if (!cursor) return Promise.resolve();
    return this.loading.run(async () => {
      const page = await fetchFlagPage(this.campaignId, this.#applied, cursor);
      this.items = [...(this.items ?? []), ...page.items];
      this.nextCursor = page.nextCursor;
    });
  }

  act(action: ReviewActionName, id: number, reason: string, done: string): Promise<void> {
    this.notice = '';
    return this.acting.run(async () => {
      await runReviewAction(action, id, reason);
      await this.#reread();
      this.notice = done;
    });
  }

  /** The pages loaded so far, again with the same filters (an acted-on flag may leave the "open" view). */
  async #reread(): Promise<void> {
    const wanted = Math.max(this.items?.length ?? 0, 1);
    let items: FlagItem[] = [];
    let cursor: string | null = null;
    do {
      const page: TFlagQueue = await fetchFlagPage(this.campaignId, this.#applied, cursor);
      items = [...items, ...page.items];
      cursor = page.nextCursor;
    } while (cursor && items.length < wanted);
    this.items = items;
    this.nextCursor = cursor;
  }
}
