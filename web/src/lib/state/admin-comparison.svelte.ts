// One comparison under review: its detail, the reversible review actions (each with a reason for the
// audit trail) and the adjudicated answer; every change reloads the comparison, so the page shows what the
// server holds.
import type { TCanonicalChoice, TComparisonDetail } from '$contract/review';
import { adjudicate, fetchComparison, runReviewAction, withdrawAdjudication, type ReviewActionName } from '../api/review';
import { Action } from './action.svelte';

export class ComparisonReview {
  comparison = $state<TComparisonDetail | null>(null);
  readonly loading = new Action();
  readonly acting = new Action();
  /** What the last action did, for the status line. */
  notice = $state('');

  constructor(readonly comparisonId: number) {}

  load(): Promise<void> {
    return this.loading.run(async () => {
      this.comparison = await fetchComparison(this.comparisonId);
    });
  }

  act(action: ReviewActionName, id: number, reason: string, done: string): Promise<void> {
    return this.#change(() => runReviewAction(action, id, reason), done);
  }

  adjudicate(choice: TCanonicalChoice, note: string, done: string): Promise<void> {
    return this.#change(() => adjudicate(this.comparisonId, choice, note), done);
  }

  withdrawAdjudication(reason: string): Promise<void> {
    return this.#change(() => withdrawAdjudication(this.comparisonId, reason), 'The adjudicated answer is withdrawn.');
  }

  async #change(task: () => Promise<unknown>, done: string): Promise<void> {
    this.notice = '';
    await this.acting.run(async () => {
      await task();
      this.comparison = await fetchComparison(this.comparisonId);
      this.notice = done;
    });
  }
}
