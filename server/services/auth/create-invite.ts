// Invites: a single-use, expiring link; only the hash of its token is stored.
import type { Role, TCreateInviteRequest, TCreateInviteResponse } from '../../contract/auth';
import { createInvite as insertInvite } from '../../db/repositories/invites';
import { campaignExists } from '../../db/repositories/members';
import { AppError } from '../../errors';
import { recordAuditEvent, type AuditActor } from '../audit/record-audit-event';
import type { ServiceContext } from '../context';
import type { Auth } from './authenticate';
import { hashSecret, newSecret } from './secrets';

export interface InviteSpec {
  role: Role;
  email: string | null;
  campaignId: string | null;
  expiresInHours: number;
}

/** Stores a new invite and returns its token (to be put in a link) and expiry. */
/** `system` makes the setup link at first start. */
export async function issueInvite(ctx: ServiceContext, actor: AuditActor, spec: InviteSpec): Promise<{ token: string; expiresAt: Date }> {
  const token = newSecret(ctx.random, 'jxi');
  const now = ctx.clock.now();
  const invite = {
    role: spec.role,
    email: spec.email?.toLowerCase() ?? null,
    campaignId: spec.campaignId,
    expiresAt: new Date(now.getTime() + spec.expiresInHours * 3_600_000),
  };
  await ctx.db.transaction(async (tx) => {
    const row = await insertInvite(tx, { ...invite, tokenHash: hashSecret(token), createdById: actor === 'system' ? null : actor.user.id, createdAt: now });
    await recordAuditEvent(ctx, tx, actor, { action: 'invite.create', target: { type: 'invite', id: row.id }, campaignId: spec.campaignId, after: invite });
  });
  return { token, expiresAt: invite.expiresAt };
}

export async function createInvite(ctx: ServiceContext, admin: Auth, input: TCreateInviteRequest): Promise<TCreateInviteResponse> {
  if (input.campaignId && !(await campaignExists(ctx.db, input.campaignId))) {
    throw new AppError('NOT_FOUND', 'No campaign has this id; pick an existing campaign.');
  }
  const { token, expiresAt } = await issueInvite(ctx, admin, {
    role: input.role,
    email: input.email ?? null,
    campaignId: input.campaignId ?? null,
    expiresInHours: input.expiresInHours,
  });
  return { url: `${ctx.config.publicUrl}/invite/${token}`, token, expiresAt: expiresAt.toISOString() };
}
