// "Test connection": one short request to the endpoint; the answer and latency, or the server's error.
import type { TTestConnectionResponse } from '../../contract/model-endpoints';
import { chatCompletionBody } from '../../domain/generation/chat-request';
import { recordAuditEvent, type AuditActor } from '../audit/record-audit-event';
import type { ServiceContext } from '../context';
import { ChatError, sendChat } from './chat-client';
import { chatTargetOf, requireModelEndpoint } from './model-endpoint-view';

const PROBE = [{ role: 'user' as const, content: 'Reply with the single word: ok' }];
/** Short, whatever the endpoint's own timeout: an admin is waiting for the answer. */
const PROBE_TIMEOUT_SECONDS = 30;

/** The request goes out from the server to an admin-chosen address: recorded in the audit trail with its outcome. */
export async function testModelEndpoint(ctx: ServiceContext, actor: AuditActor, id: string): Promise<TTestConnectionResponse> {
  const row = await requireModelEndpoint(ctx.db, id);
  const target = { ...chatTargetOf(ctx, row), timeoutSeconds: Math.min(row.timeoutSeconds, PROBE_TIMEOUT_SECONDS) };
  const started = performance.now();
  let outcome: TTestConnectionResponse;
  try {
    const result = await sendChat(target, { ...chatCompletionBody(row.model, PROBE, {}), max_tokens: 16 });
    outcome = { ok: true, latencyMs: result.latencyMs, answer: result.content.slice(0, 500), finishReason: result.finishReason };
  } catch (err) {
    const error = err instanceof ChatError ? err : new ChatError('the request failed', false);
    // The client's message starts with the status ("400 The model…"), which `status` carries already: said once.
    const message = error.status !== null && error.message.startsWith(`${error.status} `) ? error.message.slice(`${error.status} `.length) : error.message;
    outcome = { ok: false, latencyMs: Math.round(performance.now() - started), error: { status: error.status, message } };
  }
  await ctx.db.transaction((tx) =>
    recordAuditEvent(ctx, tx, actor, {
      action: 'model-endpoint.test',
      target: { type: 'model-endpoint', id },
      after: { ok: outcome.ok, latencyMs: outcome.latencyMs, status: outcome.error?.status ?? null },
    }),
  );
  return outcome;
}
