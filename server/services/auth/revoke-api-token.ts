// Revoking an API token: it stops working at the next request (authentication reads the row every time).
import type { TApiToken } from '../../contract/auth';
import { revokeApiToken as markRevoked } from '../../db/repositories/api-tokens';
import { AppError } from '../../errors';
import type { ServiceContext } from '../context';
import { toApiToken } from './views';

export async function revokeApiToken(ctx: ServiceContext, id: string): Promise<TApiToken> {
  const row = await markRevoked(ctx.db.prisma, id, ctx.clock.now());
  if (!row) throw new AppError('NOT_FOUND', 'No API token has this id; list the tokens to find it.');
  return toApiToken(row);
}
