// Bulk invites: one single-use rater invite per person of a list into a campaign. Bad and repeated emails,
// people who already rate or review the campaign and people with an open invite to it are reported by their
// 1-based line and skipped; the rest are created together, each audited as invite.create.
import { z } from 'zod';
import { BULK_INVITE_MAX_LINES, type TBulkInviteRequest, type TBulkInviteResponse } from '../../contract/invites';
import { lockCampaign } from '../../db/repositories/campaigns';
import { createInvites, emailsInCampaign, emailsWithOpenInvite } from '../../db/repositories/invites';
import { AppError } from '../../errors';
import { recordAuditEvents } from '../audit/record-audit-event';
import type { ServiceContext } from '../context';
import type { Auth } from './authenticate';
import { hashSecret, newSecret } from './secrets';

const ZEmail = z.email();

type Person = { line: number; email: string; name: string | null };
type LineError = TBulkInviteResponse['errors'][number];

/** The people of the list to invite, and the lines refused with why (what the list alone tells). */
export function checkInviteList(people: { email: string; name?: string; line?: number }[]): { valid: Person[]; errors: LineError[] } {
  const firstLine = new Map<string, number>();
  const valid: Person[] = [];
  const errors: LineError[] = [];
  people.forEach((person, index) => {
    const line = person.line ?? index + 1;
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

const tooMany = (lines: number) =>
  new AppError(
    'PAYLOAD_TOO_LARGE',
    `This list has ${lines} lines; one request invites at most ${BULK_INVITE_MAX_LINES}. Split it into lists of ${BULK_INVITE_MAX_LINES} lines or fewer and send each.`,
    { lines, maxLines: BULK_INVITE_MAX_LINES },
  );

/**
 * Creates the invites in one short transaction under the campaign's row lock: two requests with the same
 * list (a double click, a retried script) queue up there, and the second finds every email invited already.
 */
export async function createBulkInvites(ctx: ServiceContext, admin: Auth, input: TBulkInviteRequest): Promise<TBulkInviteResponse> {
  const people = input.people ?? (input.emails ?? []).map((email) => ({ email }));
  if (people.length > BULK_INVITE_MAX_LINES) throw tooMany(people.length);
  const { valid, errors } = checkInviteList(people);
  // Tokens are random and hashed before the transaction, which must stay short.
  const tokens = valid.map(() => newSecret(ctx.random, 'jxi'));
  const now = ctx.clock.now();
  const expiresAt = new Date(now.getTime() + input.expiresInHours * 3_600_000);

  const created = await ctx.db.transaction(async (tx) => {
    if (!(await lockCampaign(tx, input.campaignId))) throw new AppError('NOT_FOUND', 'No campaign has this id; pick an existing campaign.');
    const emails = valid.map((person) => person.email);
    const inCampaign = await emailsInCampaign(tx, input.campaignId, emails);
    const invited = await emailsWithOpenInvite(tx, input.campaignId, emails, now);
    const fresh: (Person & { token: string })[] = [];
    valid.forEach((person, index) => {
      const already = inCampaign.get(person.email);
      if (already === 'rater') errors.push({ line: person.line, message: `${person.email} is already a rater of this campaign` });
      else if (already === 'reviewer') errors.push({ line: person.line, message: `${person.email} reviews this campaign, so cannot rate it` });
      else if (invited.has(person.email)) errors.push({ line: person.line, message: `${person.email} has an invite to this campaign already; revoke it first to send a new one` });
      else fresh.push({ ...person, token: tokens[index]! });
    });
    if (fresh.length === 0) return [];
    const ids = await createInvites(
      tx,
      fresh.map((person) => ({
        tokenHash: hashSecret(person.token),
        role: 'RATER' as const,
        email: person.email,
        name: person.name,
        campaignId: input.campaignId,
        createdById: admin.user.id,
        createdAt: now,
        expiresAt,
      })),
    );
    await recordAuditEvents(
      ctx,
      tx,
      admin,
      fresh.map((person, index) => ({
        action: 'invite.create',
        target: { type: 'invite', id: ids[index]! },
        campaignId: input.campaignId,
        after: { role: 'RATER', email: person.email, name: person.name, campaignId: input.campaignId, expiresAt, bulk: true },
      })),
    );
    return fresh;
  });

  return {
    invites: created.map(({ token, ...person }) => ({ ...person, url: `${ctx.config.publicUrl}/invite/${token}`, token, expiresAt: expiresAt.toISOString() })),
    errors: errors.sort((a, b) => a.line - b.line),
  };
}
