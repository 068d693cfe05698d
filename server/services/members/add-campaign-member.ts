// An admin adds an existing user (themselves included) to a campaign's raters; never one of its reviewers.
import type { TCampaignMember } from '../../contract/auth';
import { addCampaignMember as upsertMember, campaignExists } from '../../db/repositories/members';
import { findReviewer } from '../../db/repositories/reviewers';
import { findUserById } from '../../db/repositories/users';
import { AppError } from '../../errors';
import { recordAuditEvent } from '../audit/record-audit-event';
import type { ServiceContext } from '../context';
import type { Auth } from '../auth/authenticate';
import { guardReviewerRater, reviewerRaterConflict } from './campaign-reviewers';

export async function addCampaignMember(ctx: ServiceContext, actor: Auth, campaignId: string, userId: string): Promise<TCampaignMember> {
  const m = await guardReviewerRater(() => ctx.db.transaction(async (tx) => {
    if (!(await campaignExists(tx, campaignId))) throw new AppError('NOT_FOUND', 'No campaign has this id.');
    const user = await findUserById(tx, userId);
    if (!user) throw new AppError('NOT_FOUND', 'No user has this id; list the users to find it.');
    if (!user.active) throw new AppError('USER_INACTIVE', 'This account is deactivated; reactivate it first.');
    if (await findReviewer(tx, campaignId, userId)) throw reviewerRaterConflict();
    const member = await upsertMember(tx, campaignId, userId);
    await recordAuditEvent(ctx, tx, actor, { action: 'campaign.member.add', target: { type: 'user', id: userId }, campaignId, after: { email: user.email, role: user.role } });
    return member;
  }));
  return { campaignId: m.campaignId, userId: m.userId, joinedAt: m.joinedAt.toISOString(), excluded: m.excluded };
}
