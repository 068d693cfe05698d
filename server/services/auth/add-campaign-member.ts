// An admin adds an existing user (themselves included) to a campaign's raters.
import type { TCampaignMember } from '../../contract/auth';
import { addCampaignMember as upsertMember, campaignExists, findUserById } from '../../db/repositories/users';
import { AppError } from '../../errors';
import type { ServiceContext } from '../context';

export async function addCampaignMember(ctx: ServiceContext, campaignId: string, userId: string): Promise<TCampaignMember> {
  const db = ctx.db.prisma;
  if (!(await campaignExists(db, campaignId))) throw new AppError('NOT_FOUND', 'No campaign has this id.');
  const user = await findUserById(db, userId);
  if (!user) throw new AppError('NOT_FOUND', 'No user has this id; list the users to find it.');
  if (!user.active) throw new AppError('CONFLICT', 'This account is deactivated; reactivate it first.');
  const m = await upsertMember(db, campaignId, userId);
  return { campaignId: m.campaignId, userId: m.userId, joinedAt: m.joinedAt.toISOString(), excluded: m.excluded };
}
