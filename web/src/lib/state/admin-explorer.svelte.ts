// The comparisons explorer: the filters (mirrored in the page URL, so a view can be bookmarked, shared and
// gone back to), the rows loaded so far and the cursor of the next page.
import type { TComparisonSummary } from '$contract/review';
import { fetchComparisonPage, type ExplorerQuery } from '../api/review';
import { Action } from './action.svelte';
import { emptyForm, EXPLORER_PARAMS, formFromSearch, type ExplorerForm } from './explorer-query';

export class ComparisonExplorer {
  form = $state<ExplorerForm>(emptyForm());
  items = $state<TComparisonSummary[] | null>(null);
  nextCursor = $state<string | null>(null);
  readonly loading = new Action();
  /** The filters of the rows shown: "load more" keeps them even if the form was edited since. */
  applied = $state<ExplorerForm>(emptyForm());
  /** Only the newest request may write its answer (a quick back-and-forth never shows stale rows). */
  #request = 0;

  constructor(readonly campaignId: string) {}

  /** Takes the filters from the URL and loads the first page. */
  show(search: string): Promise<void> {
    this.form = formFromSearch(search);
    return this.search();
  }

  search(): Promise<void> {
    const request = ++this.#request;
    const form = { ...this.form };
    return this.loading.run(async () => {
      const page = await fetchComparisonPage(this.campaignId, this.#query(form), null);
      if (request !== this.#request) return;
      this.applied = form;
      this.items = page.items;
      this.nextCursor = page.nextCursor;
    });
  }

  loadMore(): Promise<void> {
    const cursor = this.nextCursor;
    if (!cursor) return Promise.resolve();
    const request = this.#request;
    return this.loading.run(async () => {
      const page = await fetchComparisonPage(this.campaignId, this.#query(this.applied), cursor);
      if (request !== this.#request) return;
      this.items = [...(this.items ?? []), ...page.items];
      this.nextCursor = page.nextCursor;
    });
  }

  reset(): void {
    this.form = emptyForm();
  }

  #query(form: ExplorerForm): ExplorerQuery {
    return Object.fromEntries(EXPLORER_PARAMS.map((name) => [name, form[name].trim()]).filter(([, value]) => value !== ''));
  }
}
