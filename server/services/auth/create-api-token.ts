// A named API token for an admin's scripts, shown once; only its hash and a short prefix are stored.
import type { TCreateApiTokenRequest, TCreateApiTokenResponse } from '../../contract/auth';
import { createApiToken as insertApiToken } from '../../db/repositories/api-tokens';
import { AppError } from '../../errors';
import type { ServiceContext } from '../context';
import { toApiToken } from './views';
import type { Auth } from './authenticate';
import { hashSecret, newSecret } from './secrets';

/** `jxt_` and a few characters: enough to tell tokens apart in a list, far too few to guess the rest. */
const PREFIX_LENGTH = 12;

export async function createApiToken(ctx: ServiceContext, auth: Auth, input: TCreateApiTokenRequest): Promise<TCreateApiTokenResponse> {
  // A leaked token must not be able to mint tokens that outlive its own revocation.
  if (auth.via === 'token') throw new AppError('FORBIDDEN', 'API tokens cannot create API tokens; log in to the web app to make one.');
  const token = newSecret(ctx.random, 'jxt');
  const now = ctx.clock.now();
  const row = await insertApiToken(ctx.db.prisma, {
    name: input.name,
    tokenHash: hashSecret(token),
    prefix: token.slice(0, PREFIX_LENGTH),
    userId: auth.user.id,
    createdAt: now,
    expiresAt: input.expiresInDays === undefined ? null : new Date(now.getTime() + input.expiresInDays * 86_400_000),
  });
  return { token, apiToken: toApiToken(row) };
}
