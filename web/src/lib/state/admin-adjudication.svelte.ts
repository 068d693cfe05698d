// The adjudication queue: complete, non-gold comparisons whose raters disagree, most disputed first; the
// admin picks the answer (with a note) or withdraws it. Unanimous comparisons end the queue: the list is
// sorted by dispute, so the first one with none means no disputed one follows.
import type { TCanonicalChoice, TComparisonSummary } from '$contract/review';
import { adjudicate, fetchComparisonPage, withdrawAdjudication } from '../api/review';
import { Action } from './action.svelte';

const QUEUE = { status: 'complete', gold: 'false', sort: 'disputed' };

export class AdjudicationQueue {
  items = $state<TComparisonSummary[] | null>(null);
  nextCursor = $state<string | null>(null);
  /** Hide the ones already adjudicated. */
  pendingOnly = $state(true);
  readonly loading = new Action();
  readonly acting = new Action();
  notice = $state('');

  constructor(readonly campaignId: string) {}

  load(): Promise<void> {
    return this.loading.run(async () => {
      const page = await fetchComparisonPage(this.campaignId, QUEUE, null);
      this.items = [];
      this.#take(page.items, page.nextCursor);
    });
  }

  loadMore(): Promise<void> {
    const cursor = this.nextCursor;
    if (!cursor) return Promise.resolve();
    return this.loading.run(async () => {
      const page = await fetchComparisonPage(this.campaignId, QUEUE, cursor);
      this.#take(page.items, page.nextCursor);
    });
  }

  /** The disputed rows of a page; the queue ends at the first undisputed one. */
  #take(items: TComparisonSummary[], nextCursor: string | null) {
    const disputed = items.filter((item) => item.dispute > 0);
    this.items = [...(this.items ?? []), ...disputed];
    this.nextCursor = disputed.length < items.length ? null : nextCursor;
  }

  adjudicate(item: TComparisonSummary, choice: TCanonicalChoice, note: string, done: string): Promise<void> {
    return this.#change(item, () => adjudicate(item.id, choice, note), done);
  }

  withdraw(item: TComparisonSummary, reason: string, done: string): Promise<void> {
    return this.#change(item, () => withdrawAdjudication(item.id, reason), done);
  }

  async #change(item: TComparisonSummary, task: () => Promise<{ adjudicated: TCanonicalChoice | null }>, done: string): Promise<void> {
    this.notice = '';
    await this.acting.run(async () => {
      const result = await task();
      this.items = (this.items ?? []).map((row) => (row.id === item.id ? { ...row, adjudicated: result.adjudicated } : row));
      this.notice = done;
    });
  }
}
