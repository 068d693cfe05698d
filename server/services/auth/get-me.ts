// Who the caller is, which campaigns they may rate and which they review (their home page, and the login reply).
import type { TMeResponse, TUser } from '../../contract/auth';
import { listReviewedCampaigns } from '../../db/repositories/reviewers';
import { listRatableCampaigns } from '../../db/repositories/users';
import type { ServiceContext } from '../context';

export async function getMe(ctx: ServiceContext, user: TUser): Promise<TMeResponse> {
  const campaigns = await listRatableCampaigns(ctx.db, user.id);
  // Admins review every campaign from the admin pages; a reviewer row of theirs (made before a promotion) adds nothing.
  const reviews = user.role === 'ADMIN' ? [] : (await listReviewedCampaigns(ctx.db, user.id)).map((r) => ({ ...r.campaign, canExport: r.canExport }));
  return { user: { id: user.id, email: user.email, name: user.name, role: user.role }, campaigns, reviews: reviews.map(({ id, name, canExport }) => ({ id, name, canExport })) };
}
