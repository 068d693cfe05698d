// Audit page: the filters as typed, the rows loaded so far, and the cursor of the next (older) page.
import type { TAuditEvent } from '$contract/audit';
import { fetchAuditPage, type AuditFilters } from '../api/audit';
import { Action } from './action.svelte';

/** A datetime-local value (local time, no zone) as the ISO instant the API takes; '' stays unset. */
const instant = (local: string) => (local ? new Date(local).toISOString() : undefined);

export class AuditLog {
  actor = $state('');
  action = $state('');
  targetId = $state('');
  from = $state('');
  to = $state('');
  events = $state<TAuditEvent[] | null>(null);
  nextCursor = $state<string | null>(null);
  readonly loading = new Action();
  /** The filters of the rows shown: "load more" keeps them even if the form was edited since. */
  #applied: AuditFilters = {};

  /** Starts over from the newest row with the filters in the form. */
  search(): Promise<void> {
    return this.loading.run(async () => {
      const filters: AuditFilters = {
        actor: this.actor.trim() || undefined,
        action: this.action.trim() || undefined,
        targetId: this.targetId.trim() || undefined,
        from: instant(this.from),
        to: instant(this.to),
      };
      const page = await fetchAuditPage(filters, null);
      this.#applied = filters;
      this.events = page.items;
      this.nextCursor = page.nextCursor;
    });
  }

  loadMore(): Promise<void> {
    const cursor = this.nextCursor;
    if (!cursor) return Promise.resolve();
    return this.loading.run(async () => {
      const page = await fetchAuditPage(this.#applied, cursor);
      this.events = [...(this.events ?? []), ...page.items];
      this.nextCursor = page.nextCursor;
    });
  }
}
