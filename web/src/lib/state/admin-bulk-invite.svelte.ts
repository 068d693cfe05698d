// A campaign's bulk invite: the list as pasted or read from a file, what the server made of it (the links, and
// the lines it refused by the admin's own line numbers), and the links as text and CSV.
import { BULK_INVITE_MAX_LINES, type TBulkInviteResponse } from '$contract/invites';
import { ApiError } from '../api/api-error';
import { createBulkInvites } from '../api/invite-lists';
import { Action } from './action.svelte';
import { invitesCsv, invitesText, parseInviteList } from './invite-list-text';

export class BulkInviteForm {
  text = $state('');
  /** The file the list was read from, if any. */
  fileName = $state<string | null>(null);
  expiresInHours = $state(72);
  result = $state<TBulkInviteResponse | null>(null);
  readonly sending = new Action();

  /** The people in the text right now. */
  readonly parsed = $derived(parseInviteList(this.text));

  constructor(private readonly campaignId: string) {}

  async readFile(file: File): Promise<void> {
    this.text = await file.text();
    this.fileName = file.name;
  }

  /** Sends the list once: while a request runs (a double click) a second call does nothing. */
  send(): Promise<void> {
    if (this.sending.busy) return Promise.resolve();
    const { people } = this.parsed;
    return this.sending.run(async () => {
      if (people.length === 0) throw new ApiError(0, 'CLIENT', 'The list is empty: paste one email per line, or CSV rows of email,name.');
      if (people.length > BULK_INVITE_MAX_LINES) {
        throw new ApiError(0, 'CLIENT', `This list has ${people.length} people; one invite run takes at most ${BULK_INVITE_MAX_LINES}. Split it into lists of ${BULK_INVITE_MAX_LINES} or fewer and send each.`);
      }
      this.result = await createBulkInvites({ campaignId: this.campaignId, people, expiresInHours: this.expiresInHours });
      // The links are on screen now; sending the same list again would only find everyone invited already.
      this.text = '';
      this.fileName = null;
    });
  }

  get linksText(): string {
    return invitesText(this.result?.invites ?? []);
  }

  get csv(): string {
    return invitesCsv(this.result?.invites ?? []);
  }
}
