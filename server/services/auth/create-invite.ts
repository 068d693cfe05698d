// Invites: a single-use, expiring link; only the hash of its token is stored.
import type { Role, TCreateInviteRequest, TCreateInviteResponse } from '../../contract/auth';
import { createInvite as insertInvite } from '../../db/repositories/invites';
import { campaignExists } from '../../db/repositories/users';
import { AppError } from '../../errors';
import type { ServiceContext } from '../context';
import type { AuthUser } from './authenticate';
import { hashSecret, newSecret } from './secrets';

export interface InviteSpec {
  role: Role;
  email: string | null;
  campaignId: string | null;
  expiresInHours: number;
  /** null for the setup link made at first start. */
  createdById: string | null;
}

/** Stores a new invite and returns its token (to be put in a link) and expiry. */
export async function issueInvite(ctx: ServiceContext, spec: InviteSpec): Promise<{ token: string; expiresAt: Date }> {
  const token = newSecret(ctx.random, 'jxi');
  const now = ctx.clock.now();
  const { expiresAt } = await insertInvite(ctx.db.prisma, {
    tokenHash: hashSecret(token),
    role: spec.role,
    email: spec.email?.toLowerCase() ?? null,
    campaignId: spec.campaignId,
    createdById: spec.createdById,
    createdAt: now,
    expiresAt: new Date(now.getTime() + spec.expiresInHours * 3_600_000),
  });
  return { token, expiresAt };
}

export async function createInvite(ctx: ServiceContext, admin: AuthUser, input: TCreateInviteRequest): Promise<TCreateInviteResponse> {
  if (input.campaignId && !(await campaignExists(ctx.db.prisma, input.campaignId))) {
    throw new AppError('NOT_FOUND', 'No campaign has this id; pick an existing campaign.');
  }
  const { token, expiresAt } = await issueInvite(ctx, {
    role: input.role,
    email: input.email ?? null,
    campaignId: input.campaignId ?? null,
    expiresInHours: input.expiresInHours,
    createdById: admin.id,
  });
  return { url: `${ctx.config.publicUrl}/invite/${token}`, token, expiresAt: expiresAt.toISOString() };
}
