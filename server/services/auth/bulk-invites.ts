// Bulk invites: one single-use rater invite per person of a list into a campaign. Bad and repeated emails
// are reported by their 1-based line and skipped; the rest are created (each audited as invite.create).
import { z } from 'zod';
import type { TBulkInviteRequest, TBulkInviteResponse } from '../../contract/invites';
import { campaignExists } from '../../db/repositories/members';
import { AppError } from '../../errors';
import type { ServiceContext } from '../context';
import type { Auth } from './authenticate';
import { issueInvite } from './create-invite';

const ZEmail = z.email();

type Person = { line: number; email: string; name: string | null };

/** The people of the list to invite, and the lines refused with why. */
export function checkInviteList(people: { email: string; name?: string }[]): { valid: Person[]; errors: TBulkInviteResponse['errors'] } {
  const firstLine = new Map<string, number>();
  const valid: Person[] = [];
  const errors: TBulkInviteResponse['errors'] = [];
  people.forEach((person, index) => {
    const line = index + 1;
    const email = person.email.trim().toLowerCase();
    if (!email) errors.push({ line, message: 'no email on this line' });
    else if (!ZEmail.safeParse(email).success) errors.push({ line, message: `"${person.email.trim().slice(0, 80)}" is not an email address` });
    else if (firstLine.has(email)) errors.push({ line, message: `${email} is already on line ${firstLine.get(email)}` });
    else {
      firstLine.set(email, line);
      valid.push({ line, email, name: person.name || null });
    }
  });
  return { valid, errors };
}

export async function createBulkInvites(ctx: ServiceContext, admin: Auth, input: TBulkInviteRequest): Promise<TBulkInviteResponse> {
  if (!(await campaignExists(ctx.db, input.campaignId))) throw new AppError('NOT_FOUND', 'No campaign has this id; pick an existing campaign.');
  const { valid, errors } = checkInviteList(input.people ?? (input.emails ?? []).map((email) => ({ email })));
  const invites: TBulkInviteResponse['invites'] = [];
  for (const person of valid) {
    const { token, expiresAt } = await issueInvite(ctx, admin, { role: 'RATER', email: person.email, campaignId: input.campaignId, expiresInHours: input.expiresInHours });
    invites.push({ ...person, url: `${ctx.config.publicUrl}/invite/${token}`, token, expiresAt: expiresAt.toISOString() });
  }
  return { invites, errors };
}
