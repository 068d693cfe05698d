// Every admin sees every API token (with its owner): any admin may revoke a token that leaked.
import type { TApiToken } from '../../contract/api-tokens';
import { type ApiTokenRow, campaignNames, listApiTokens as selectApiTokens } from '../../db/repositories/api-tokens';
import type { Db } from '../../db/handle';
import type { ServiceContext } from '../context';
import { toApiToken } from './views';

export async function listApiTokens(ctx: ServiceContext): Promise<TApiToken[]> {
  return describeApiTokens(ctx.db, await selectApiTokens(ctx.db));
}

/** Token rows as replies, with the names of the campaigns they are limited to. */
export async function describeApiTokens(db: Db, rows: ApiTokenRow[]): Promise<TApiToken[]> {
  const names = await campaignNames(db, [...new Set(rows.flatMap((r) => r.campaignIds))]);
  return rows.map((row) => toApiToken(row, names));
}
