// What an invite link is for, shown before it is accepted; and the checks every use of a link makes.
import type { TInviteInfo } from '../../contract/auth';
import { findInviteByTokenHash, type InviteRow } from '../../db/repositories/invites';
import { adminExists } from '../../db/repositories/users';
import { AppError } from '../../errors';
import type { ServiceContext } from '../context';
import { hashSecret } from './secrets';

/** The setup link printed at first start: an admin invite nobody created. */
export const isSetupInvite = (invite: Pick<InviteRow, 'createdById' | 'role'>) => invite.createdById === null && invite.role === 'ADMIN';

/** The invite behind `token` if it can still be accepted; otherwise a 404 or 410 saying why not. */
export async function openInvite(ctx: ServiceContext, token: string): Promise<InviteRow> {
  const invite = await findInviteByTokenHash(ctx.db, hashSecret(token));
  if (!invite) throw new AppError('NOT_FOUND', 'This invite link is not valid; check that it was copied whole, or ask for a new one.');
  if (invite.acceptedAt) throw new AppError('INVITE_USED', 'This invite link was already used; log in, or ask for a new link.');
  if (invite.revokedAt) throw new AppError('INVITE_REVOKED', 'This invite link was withdrawn by an admin; log in if you have an account, or ask for a new link.');
  if (invite.expiresAt <= ctx.clock.now()) throw new AppError('INVITE_EXPIRED', 'This invite link has expired; ask for a new one.');
  // Several instances starting together may each print a setup link; once one made an admin, the rest die.
  if (isSetupInvite(invite) && (await adminExists(ctx.db))) {
    throw new AppError('INVITE_USED', 'An admin account exists already; log in instead.');
  }
  return invite;
}

export async function describeInvite(ctx: ServiceContext, token: string): Promise<TInviteInfo> {
  const invite = await openInvite(ctx, token);
  return {
    role: invite.role,
    email: invite.email,
    name: invite.name,
    campaignName: invite.campaign?.name ?? null,
    expiresAt: invite.expiresAt.toISOString(),
    setup: isSetupInvite(invite),
  };
}
