// Every admin sees every API token (with its owner): any admin may revoke a token that leaked.
import type { TApiToken } from '../../contract/auth';
import { listApiTokens as selectApiTokens } from '../../db/repositories/api-tokens';
import type { ServiceContext } from '../context';
import { toApiToken } from './views';

export async function listApiTokens(ctx: ServiceContext): Promise<TApiToken[]> {
  return (await selectApiTokens(ctx.db)).map(toApiToken);
}
