// A model endpoint as the API shows it (never its key), the checks every write shares, and its chat target.
import { isIP } from 'node:net';
import { ZGenerationParamsSchema, type TModelEndpoint } from '../../contract/model-endpoints';
import type { Db } from '../../db/handle';
import { findModelEndpoint, findModelEndpoints, type ModelEndpointRow } from '../../db/repositories/model-endpoints';
import { isBlockedAddress } from '../../domain/generation/metadata-address';
import { AppError } from '../../errors';
import type { ServiceContext } from '../context';
import { decryptApiKey } from './api-key-cipher';
import type { ChatTarget } from './chat-client';

export function toModelEndpointView(row: ModelEndpointRow): TModelEndpoint {
  return {
    id: row.id,
    name: row.name,
    baseUrl: row.baseUrl,
    model: row.model,
    params: ZGenerationParamsSchema.parse(row.params),
    maxConcurrency: row.maxConcurrency,
    requestsPerMinute: row.requestsPerMinute,
    stream: row.stream,
    timeoutSeconds: row.timeoutSeconds,
    apiKeySet: row.apiKeyCipher !== null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export async function requireModelEndpoint(db: Db, id: string): Promise<ModelEndpointRow> {
  const row = await findModelEndpoint(db, id);
  if (!row) throw new AppError('NOT_FOUND', 'No such model endpoint (it may have been deleted).');
  return row;
}

/** Names sort as people read them: "step-2000" before "step-10000", case aside. */
const byName = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

export async function listModelEndpoints(ctx: ServiceContext): Promise<TModelEndpoint[]> {
  return (await findModelEndpoints(ctx.db)).sort((a, b) => byName.compare(a.name, b.name)).map(toModelEndpointView);
}

export async function getModelEndpoint(ctx: ServiceContext, id: string): Promise<TModelEndpoint> {
  return toModelEndpointView(await requireModelEndpoint(ctx.db, id));
}

/**
 * A base URL is stored without a trailing slash. Credentials in it are refused (they belong in the
 * encrypted key), and so is a metadata address written as an IP literal; host names are checked on
 * the address they resolve to, each time a connection is made.
 */
export function checkBaseUrl(baseUrl: string): string {
  const url = new URL(baseUrl);
  if (url.username || url.password) {
    throw new AppError('VALIDATION_FAILED', 'Put the API key in the apiKey field, not in the URL (it would be stored and shown in plain text).');
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host) && isBlockedAddress(host)) {
    throw new AppError('ENDPOINT_ADDRESS_BLOCKED', `${url.hostname} is a cloud metadata address: Juxta never sends requests there. Use the address of your model server.`);
  }
  return baseUrl.replace(/\/+$/, '');
}

/** Where requests go, with the key decrypted in memory (never logged, never returned). */
export function chatTargetOf(ctx: ServiceContext, row: Pick<ModelEndpointRow, 'baseUrl' | 'apiKeyCipher' | 'stream' | 'timeoutSeconds'>): ChatTarget {
  return {
    baseUrl: row.baseUrl,
    apiKey: row.apiKeyCipher === null ? null : decryptApiKey(ctx.config.secrets.key, row.apiKeyCipher),
    stream: row.stream,
    timeoutSeconds: row.timeoutSeconds,
  };
}
