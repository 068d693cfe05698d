// Who is logged in, and the campaigns they may rate; the app shell and pages read it.
import type { TAcceptInviteRequest, TLoginRequest, TMeResponse } from '$contract/auth';
import { ApiError } from '../api/api-error';
import * as auth from '../api/auth';

export class Session {
  me = $state<TMeResponse | null>(null);
  /** False until the first /api/me answered, so guarded pages do not flash the login form. */
  ready = $state(false);

  user = $derived(this.me?.user ?? null);
  isAdmin = $derived(this.me?.user.role === 'ADMIN');

  /** Loads the current user; a 401 just means nobody is logged in. */
  async refresh(): Promise<void> {
    try {
      this.me = await auth.fetchMe();
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 401)) throw error;
      this.me = null;
    } finally {
      this.ready = true;
    }
  }

  async login(credentials: TLoginRequest): Promise<void> {
    this.me = await auth.login(credentials);
  }

  async acceptInvite(token: string, body: TAcceptInviteRequest): Promise<void> {
    this.me = await auth.acceptInvite(token, body);
  }

  async logout(): Promise<void> {
    await auth.logout();
    this.me = null;
  }
}

export const session = new Session();
