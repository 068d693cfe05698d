// A user-triggered request (form submit, button): whether it is running and how it failed.
import { toApiError, type ApiError } from '../api/api-error';

export class Action {
  busy = $state(false);
  error = $state<ApiError | null>(null);

  async run(task: () => Promise<void>): Promise<void> {
    this.busy = true;
    this.error = null;
    try {
      await task();
    } catch (caught) {
      this.error = toApiError(caught);
    } finally {
      this.busy = false;
    }
  }
}
