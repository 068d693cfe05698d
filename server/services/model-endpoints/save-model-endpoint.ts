// Registers, edits and deletes model endpoints; each change is recorded in the audit trail (never the key).
import {
  ZCreateModelEndpointRequestSchema,
  type TCreateModelEndpointRequest,
  type TModelEndpoint,
  type TUpdateModelEndpointRequest,
} from '../../contract/model-endpoints';
import {
  findEndpointByName,
  insertModelEndpoint,
  softDeleteModelEndpoint,
  updateModelEndpoint,
  type ModelEndpointData,
} from '../../db/repositories/model-endpoints';
import { AppError } from '../../errors';
import { recordAuditEvent, type AuditActor } from '../audit/record-audit-event';
import type { Db } from '../../db/handle';
import type { ServiceContext } from '../context';
import { encryptApiKey } from './api-key-cipher';
import { checkBaseUrl, requireModelEndpoint, toModelEndpointView } from './model-endpoint-view';

/** What the audit trail keeps of an endpoint: its settings and whether a key is set. */
const summary = (view: TModelEndpoint) => {
  const { createdAt: _c, updatedAt: _u, ...rest } = view;
  return rest;
};

async function checkNameFree(db: Db, name: string, except?: string): Promise<void> {
  const existing = await findEndpointByName(db, name);
  if (existing && existing.id !== except) throw new AppError('NAME_TAKEN', `An endpoint named "${name}" exists already: choose another name.`);
}

export async function createModelEndpoint(ctx: ServiceContext, actor: AuditActor, request: TCreateModelEndpointRequest): Promise<TModelEndpoint> {
  const { apiKey, ...r } = ZCreateModelEndpointRequestSchema.parse(request);
  const baseUrl = checkBaseUrl(r.baseUrl);
  const apiKeyCipher = apiKey === undefined ? null : encryptApiKey(ctx.config.secrets.key, apiKey);
  const data: ModelEndpointData = { ...r, baseUrl, apiKeyCipher };
  return ctx.db.transaction(async (tx) => {
    await checkNameFree(tx, r.name);
    const view = toModelEndpointView(await insertModelEndpoint(tx, data));
    await recordAuditEvent(ctx, tx, actor, { action: 'model-endpoint.create', target: { type: 'model-endpoint', id: view.id }, after: summary(view) });
    return view;
  });
}

export async function editModelEndpoint(ctx: ServiceContext, actor: AuditActor, id: string, request: TUpdateModelEndpointRequest): Promise<TModelEndpoint> {
  const { apiKey, baseUrl, ...rest } = request;
  const data: Partial<ModelEndpointData> = {
    ...rest,
    ...(baseUrl === undefined ? {} : { baseUrl: checkBaseUrl(baseUrl) }),
    ...(apiKey === undefined ? {} : { apiKeyCipher: apiKey === null ? null : encryptApiKey(ctx.config.secrets.key, apiKey) }),
  };
  return ctx.db.transaction(async (tx) => {
    const before = toModelEndpointView(await requireModelEndpoint(tx, id));
    if (rest.name !== undefined) await checkNameFree(tx, rest.name, id);
    const after = toModelEndpointView(await updateModelEndpoint(tx, id, data));
    await recordAuditEvent(ctx, tx, actor, {
      action: 'model-endpoint.update',
      target: { type: 'model-endpoint', id },
      before: summary(before),
      after: { ...summary(after), ...(apiKey === undefined ? {} : { apiKeyChanged: true }) },
    });
    return after;
  });
}

/** Running jobs' items of this endpoint fail ("endpoint deleted"); its responses stay. */
export async function deleteModelEndpoint(ctx: ServiceContext, actor: AuditActor, id: string): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const before = toModelEndpointView(await requireModelEndpoint(tx, id));
    await softDeleteModelEndpoint(tx, id, ctx.clock.now());
    await recordAuditEvent(ctx, tx, actor, { action: 'model-endpoint.delete', target: { type: 'model-endpoint', id }, before: summary(before) });
  });
}
