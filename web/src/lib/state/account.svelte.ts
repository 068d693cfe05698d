// Account page: changing your password, and your live sessions (ending any of them).
import type { TSession } from '$contract/account';
import type { TSsoInfo } from '$contract/sso';
import { changePassword, endSession, fetchSessions } from '../api/account';
import { fetchSsoInfo, startSsoLink } from '../api/sso';
import { Action } from './action.svelte';

export class AccountState {
  sessions = $state<TSession[] | null>(null);
  readonly loading = new Action();
  readonly ending = new Action();
  readonly changing = new Action();
  /** Single sign-on, when the server has it: the account can be linked to the provider. */
  sso = $state<TSsoInfo | null>(null);
  readonly linking = new Action();
  /** Said after a change (and to screen readers). */
  status = $state('');

  async loadSso(): Promise<void> {
    this.sso = await fetchSsoInfo().catch(() => null);
  }

  /** Off to the provider; it sends the browser back to the login page, which finishes the link and returns here. */
  linkSso(): Promise<void> {
    return this.linking.run(async () => {
      location.assign(await startSsoLink());
    });
  }

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
