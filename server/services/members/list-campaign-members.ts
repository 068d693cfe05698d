// An admin lists a campaign's raters: who they are, whether they can log in, whether they are excluded.
import type { TCampaignMemberListItem } from '../../contract/auth';
import { campaignExists, listCampaignMembers as findMembers } from '../../db/repositories/members';
import { AppError } from '../../errors';
import type { ServiceContext } from '../context';

export async function listCampaignMembers(ctx: ServiceContext, campaignId: string): Promise<TCampaignMemberListItem[]> {
  const { db } = ctx;
  if (!(await campaignExists(db, campaignId))) throw new AppError('NOT_FOUND', 'No campaign has this id.');
  const members = await findMembers(db, campaignId);
  return members.map(({ user, joinedAt, excluded }) => ({
    userId: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    active: user.active,
    excluded,
    joinedAt: joinedAt.toISOString(),
  }));
}
