// Who the caller is and which campaigns they may rate (their home page, and the login reply).
import type { TMeResponse, TUser } from '../../contract/auth';
import { listRatableCampaigns } from '../../db/repositories/users';
import type { ServiceContext } from '../context';

export async function getMe(ctx: ServiceContext, user: TUser): Promise<TMeResponse> {
  const campaigns = await listRatableCampaigns(ctx.db, user.id);
  return { user: { id: user.id, email: user.email, name: user.name, role: user.role }, campaigns };
}
