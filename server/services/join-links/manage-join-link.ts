// A campaign's join link as admins handle it: read the latest (with its counts), make one (which closes
// the open one: at most one open link per campaign), revoke it. Making and revoking are audited in the
// action's transaction.
import type { TCampaignJoinLinkResponse, TCreateJoinLinkRequest, TJoinLink, TJoinLinkState } from '../../contract/join-links';
import { isUniqueViolation } from '../../db/errors';
import { closeOpenJoinLink, findLatestJoinLink, insertJoinLink } from '../../db/repositories/join-links';
import { campaignExists } from '../../db/repositories/members';
import { AppError } from '../../errors';
import { recordAuditEvent } from '../audit/record-audit-event';
import type { Auth } from '../auth/authenticate';
import { newSecret } from '../auth/secrets';
import type { ServiceContext } from '../context';

interface LinkFacts {
  id: string;
  token: string;
  maxUses: number;
  uses: number;
  createdAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
  replaced: boolean;
}

/** Why a link takes nobody (closed first: a revoked link says so even when it was also full), or open. */
export function joinLinkState(link: Omit<LinkFacts, 'id' | 'token' | 'createdAt'>, now: Date): TJoinLinkState {
  if (link.revokedAt) return link.replaced ? 'replaced' : 'revoked';
  if (link.uses >= link.maxUses) return 'used-up';
  if (link.expiresAt <= now) return 'expired';
  return 'open';
}

export const joinLinkUrl = (ctx: ServiceContext, token: string) => `${ctx.config.publicUrl}/join/${token}`;

function view(ctx: ServiceContext, link: LinkFacts & { createdBy: { email: string } | null }): TJoinLink {
  return {
    id: link.id,
    url: joinLinkUrl(ctx, link.token),
    state: joinLinkState(link, ctx.clock.now()),
    uses: link.uses,
    maxUses: link.maxUses,
    createdAt: link.createdAt.toISOString(),
    expiresAt: link.expiresAt.toISOString(),
    revokedAt: link.revokedAt?.toISOString() ?? null,
    createdBy: link.createdBy?.email ?? null,
  };
}

/** What the audit rows say of a link (never its token). */
const summary = (link: LinkFacts) => ({ linkId: link.id, maxUses: link.maxUses, uses: link.uses, expiresAt: link.expiresAt });

async function requireCampaign(ctx: ServiceContext, campaignId: string) {
  const campaign = await campaignExists(ctx.db, campaignId);
  if (!campaign) throw new AppError('NOT_FOUND', 'No campaign has this id.');
  return campaign;
}

export async function getCampaignJoinLink(ctx: ServiceContext, campaignId: string): Promise<TCampaignJoinLinkResponse> {
  await requireCampaign(ctx, campaignId);
  const link = await findLatestJoinLink(ctx.db, campaignId);
  return { link: link ? view(ctx, link) : null };
}

export async function createJoinLink(ctx: ServiceContext, actor: Auth, campaignId: string, input: TCreateJoinLinkRequest): Promise<TCampaignJoinLinkResponse> {
  await requireCampaign(ctx, campaignId);
  const now = ctx.clock.now();
  const token = newSecret(ctx.random, 'jxj');
  try {
    const link = await ctx.db.transaction(async (tx) => {
      const old = await closeOpenJoinLink(tx, campaignId, now, true);
      const link = await insertJoinLink(tx, {
        campaignId,
        token,
        maxUses: input.maxUses,
        createdById: actor.user.id,
        createdAt: now,
        expiresAt: new Date(now.getTime() + input.expiresInHours * 3_600_000),
      });
      await recordAuditEvent(ctx, tx, actor, {
        action: 'campaign.join-link.create',
        target: { type: 'join-link', id: link.id },
        campaignId,
        before: old ? { ...summary(old), state: joinLinkState(old, now) } : null,
        after: summary(link),
      });
      return link;
    });
    return { link: view(ctx, link) };
  } catch (err) {
    // Another admin made one in the same moment (the partial unique index on open links): theirs stands.
    if (isUniqueViolation(err)) throw new AppError('JOIN_LINK_CHANGED', 'Another admin made a join link for this campaign at the same moment; reload to see it.');
    throw err;
  }
}

export async function revokeJoinLink(ctx: ServiceContext, actor: Auth, campaignId: string): Promise<TCampaignJoinLinkResponse> {
  await requireCampaign(ctx, campaignId);
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    const closed = await closeOpenJoinLink(tx, campaignId, now, false);
    if (!closed) throw new AppError('NOT_FOUND', 'This campaign has no open join link to revoke.');
    await recordAuditEvent(ctx, tx, actor, {
      action: 'campaign.join-link.revoke',
      target: { type: 'join-link', id: closed.id },
      campaignId,
      before: { ...summary(closed), state: joinLinkState(closed, now) },
    });
  });
  return getCampaignJoinLink(ctx, campaignId);
}
