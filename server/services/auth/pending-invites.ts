// Invites as admins see them (a campaign's, or everyone's), newest first in keyset pages; and revoking one,
// which closes its link at once (every use of a link reads the row: server/services/auth/describe-invite.ts).
import type { TInviteListItem, TInviteListQuery, TInvitePage, TInviteState } from '../../contract/invites';
import { listInvites, revokeInvite as markRevoked, type InviteListRow } from '../../db/repositories/invites';
import { AppError } from '../../errors';
import { recordAuditEvent } from '../audit/record-audit-event';
import type { ServiceContext } from '../context';
import type { Auth } from './authenticate';

function stateOf(row: Pick<InviteListRow, 'acceptedAt' | 'revokedAt' | 'expiresAt'>, now: Date): TInviteState {
  if (row.acceptedAt) return 'USED';
  if (row.revokedAt) return 'REVOKED';
  return row.expiresAt <= now ? 'EXPIRED' : 'PENDING';
}

function toItem(row: InviteListRow, now: Date): TInviteListItem {
  return {
    id: row.id,
    role: row.role,
    email: row.email,
    name: row.name,
    campaign: row.campaign,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt.toISOString(),
    state: stateOf(row, now),
    uses: row.acceptedAt ? 1 : 0,
    maxUses: 1,
    acceptedAt: row.acceptedAt?.toISOString() ?? null,
    acceptedBy: row.acceptedBy,
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}

const cursorOf = (row: InviteListRow) => `${row.createdAt.getTime()}_${row.id}`;

function parseCursor(cursor: string): { createdAt: Date; id: string } {
  const [ms, id] = cursor.split('_') as [string, string];
  return { createdAt: new Date(Number(ms)), id };
}

export async function listPendingInvites(ctx: ServiceContext, query: TInviteListQuery): Promise<TInvitePage> {
  const now = ctx.clock.now();
  // One row more than asked tells whether another page follows.
  const rows = await listInvites(ctx.db, {
    campaignId: query.campaignId,
    openAt: query.state === 'pending' ? now : undefined,
    after: query.cursor ? parseCursor(query.cursor) : undefined,
    limit: query.limit + 1,
  });
  const page = rows.slice(0, query.limit);
  return { items: page.map((row) => toItem(row, now)), nextCursor: rows.length > query.limit ? cursorOf(page[page.length - 1]!) : null };
}

/** Revokes an invite not yet used: its link answers INVITE_REVOKED from now on. */
export async function revokeInvite(ctx: ServiceContext, admin: Auth, id: string): Promise<TInviteListItem> {
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const { revoked, row } = await markRevoked(tx, id, admin.user.id, now);
    if (!row) throw new AppError('NOT_FOUND', 'No invite has this id; list the invites to find it.');
    if (row.acceptedAt) throw new AppError('INVITE_USED', `This invite was already used by ${row.acceptedBy?.email ?? 'an account'}; remove that account from the campaign, or deactivate it, instead.`);
    if (!revoked) throw new AppError('INVITE_REVOKED', 'This invite was revoked already.');
    await recordAuditEvent(ctx, tx, admin, {
      action: 'invite.revoke',
      target: { type: 'invite', id },
      campaignId: row.campaign?.id ?? null,
      before: { state: stateOf({ ...row, revokedAt: null }, now) },
      after: { role: row.role, email: row.email, campaignId: row.campaign?.id ?? null, revokedAt: now },
    });
    return toItem(row, now);
  });
}
