// Revoking an API token: it stops working at the next request (authentication reads the row every time).
import type { TApiToken } from '../../contract/api-tokens';
import { revokeApiToken as markRevoked } from '../../db/repositories/api-tokens';
import { AppError } from '../../errors';
import { recordAuditEvent } from '../audit/record-audit-event';
import type { ServiceContext } from '../context';
import type { Auth } from './authenticate';
import { describeApiTokens } from './list-api-tokens';

export async function revokeApiToken(ctx: ServiceContext, actor: Auth, id: string): Promise<TApiToken> {
  const row = await ctx.db.transaction(async (tx) => {
    const revoked = await markRevoked(tx, id, ctx.clock.now());
    if (!revoked) throw new AppError('NOT_FOUND', 'No API token has this id; list the tokens to find it.');
    await recordAuditEvent(ctx, tx, actor, {
      action: 'apitoken.revoke',
      target: { type: 'apitoken', id },
      after: { name: revoked.name, owner: revoked.user.email, revokedAt: revoked.revokedAt },
    });
    return revoked;
  });
  return (await describeApiTokens(ctx.db, [row]))[0]!;
}
