// A named API token for an admin's scripts, shown once; only its hash and a short prefix are stored.
// Its scopes say which routes it reaches, its campaigns (if any) which campaigns. The route lets only a
// logged-in session (not another token) make one.
import type { TCreateApiTokenRequest, TCreateApiTokenResponse } from '../../contract/api-tokens';
import { campaignNames, createApiToken as insertApiToken } from '../../db/repositories/api-tokens';
import { AppError } from '../../errors';
import { recordAuditEvent } from '../audit/record-audit-event';
import type { ServiceContext } from '../context';
import type { Auth } from './authenticate';
import { describeApiTokens } from './list-api-tokens';
import { hashSecret, newSecret } from './secrets';

/** `jxt_` and a few characters: enough to tell tokens apart in a list, far too few to guess the rest. */
const PREFIX_LENGTH = 12;

export async function createApiToken(ctx: ServiceContext, admin: Auth, input: TCreateApiTokenRequest): Promise<TCreateApiTokenResponse> {
  const token = newSecret(ctx.random, 'jxt');
  const now = ctx.clock.now();
  const expiresAt = input.expiresInDays === undefined ? null : new Date(now.getTime() + input.expiresInDays * 86_400_000);
  const campaignIds = input.campaignIds ?? [];
  const row = await ctx.db.transaction(async (tx) => {
    const known = await campaignNames(tx, campaignIds);
    const unknown = campaignIds.filter((id) => !known.has(id));
    if (unknown.length > 0) {
      throw new AppError('VALIDATION_FAILED', `No campaign has the id ${unknown.join(', ')}; nothing was created.`, {
        issues: unknown.map((id) => ({ path: ['campaignIds', campaignIds.indexOf(id)], message: 'no such campaign' })),
      });
    }
    const created = await insertApiToken(tx, {
      name: input.name,
      tokenHash: hashSecret(token),
      prefix: token.slice(0, PREFIX_LENGTH),
      userId: admin.user.id,
      createdAt: now,
      expiresAt,
      scopes: input.scopes,
      campaignIds,
    });
    await recordAuditEvent(ctx, tx, admin, {
      action: 'apitoken.create',
      target: { type: 'apitoken', id: created.id },
      after: { name: input.name, expiresAt, scopes: input.scopes, campaignIds: input.campaignIds ?? null },
    });
    return created;
  });
  return { token, apiToken: (await describeApiTokens(ctx.db, [row]))[0]! };
}
