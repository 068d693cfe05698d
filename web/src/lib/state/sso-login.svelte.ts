// The login page's single sign-on: the "Sign in with <name>" offer, and finishing a sign-in when the
// provider sends the browser back to /login?code=... (or ?error=...).
import type { TSsoInfo } from '$contract/sso';
import { fetchSsoInfo, finishSso } from '../api/sso';
import { Action } from './action.svelte';
import { session } from './session.svelte';

/** Whether this query string is the provider's answer to a sign-in. */
export const isSsoAnswer = (search: string): boolean => /[?&](code|error)=/.test(search);

export class SsoLogin {
  info = $state<TSsoInfo | null>(null);
  readonly action = new Action();

  /** Asks whether single sign-on is on; a failure only leaves the button out. */
  async load(): Promise<void> {
    this.info = await fetchSsoInfo().catch(() => null);
  }

  /** Signs in with the provider's answer; resolves to the path to go to, or null when refused (`action.error` says why). */
  async finish(search: string): Promise<string | null> {
    let next: string | null = null;
    await this.action.run(async () => {
      const { next: target, ...me } = await finishSso(search);
      session.me = me;
      next = target;
    });
    return next;
  }
}
