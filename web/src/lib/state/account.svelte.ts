// Account page: changing your password, and your live sessions (ending any of them).
import type { TSession } from '$contract/account';
import { changePassword, endSession, fetchSessions } from '../api/account';
import { Action } from './action.svelte';

export class AccountState {
  sessions = $state<TSession[] | null>(null);
  readonly loading = new Action();
  readonly ending = new Action();
  readonly changing = new Action();
  /** Said after a change (and to screen readers). */
  status = $state('');

  refresh(): Promise<void> {
    return this.loading.run(async () => {
      this.sessions = await fetchSessions();
    });
  }

  end(session: TSession): Promise<void> {
    return this.ending.run(async () => {
      await endSession(session.id);
      this.sessions = this.sessions?.filter((s) => s.id !== session.id) ?? null;
      this.status = `Ended the session of ${session.device}.`;
    });
  }

  changePassword(currentPassword: string, newPassword: string): Promise<void> {
    return this.changing.run(async () => {
      const ended = await changePassword({ currentPassword, newPassword });
      this.status = `Password changed; ${ended === 1 ? '1 other session' : `${ended} other sessions`} ended.`;
      await this.refresh();
    });
  }
}
