// The one way an admin action is recorded: call it with the transaction handle the action itself uses,
// so the row commits (or rolls back) with the change it describes.
import { SYSTEM_ACTOR } from '../../contract/audit';
import type { Db } from '../../db/handle';
import { insertAuditEvents } from '../../db/repositories/audit-events';
import type { Auth, AuthUser } from '../auth/authenticate';
import type { ServiceContext } from '../context';

/** Someone not logged in who proved who they are with a link: a password reset, a campaign's join link (with a password), or an invite link they just accepted. */
export interface LinkActor {
  user: Pick<AuthUser, 'id' | 'email'>;
  via: 'reset-link' | 'join-link' | 'invite-link';
}

/** Who acts: a logged-in caller (session or API token), a link holder, or the server itself. */
export type AuditActor = Auth | LinkActor | 'system';

export interface AuditEventInput {
  /** area.verb: campaign.create, campaign.update, campaign.status, import.publish, export.download, ... */
  action: string;
  target: { type: string; id: string };
  campaignId?: string | null;
  /** Summaries of the target before and after; never a secret (token, password, key, hash). */
  before?: unknown;
  after?: unknown;
}

const SECRET_KEY = /(password|token|secret|hash|apikey|api_key|cookie)/i;

/** Drops any field whose name says it is a secret, at any depth: a summary must never carry one by mistake. */
function withoutSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSecrets);
  if (value instanceof Date) return value.toISOString();
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([key]) => !SECRET_KEY.test(key)).map(([key, v]) => [key, withoutSecrets(v)]));
  }
  return typeof value === 'bigint' ? value.toString() : value;
}

export async function recordAuditEvent(ctx: Pick<ServiceContext, 'clock'>, tx: Db, actor: AuditActor, event: AuditEventInput): Promise<void> {
  await recordAuditEvents(ctx, tx, actor, [event]);
}

/** One row per event, in one statement: a bulk action (bulk invites) records each thing it did. */
export async function recordAuditEvents(ctx: Pick<ServiceContext, 'clock'>, tx: Db, actor: AuditActor, events: AuditEventInput[]): Promise<void> {
  if (events.length === 0) return;
  const who =
    actor === 'system'
      ? { actor: SYSTEM_ACTOR, actorEmail: null, via: 'system' }
      : { actor: actor.user.id, actorEmail: actor.user.email, via: actor.via === 'token' ? `token:${actor.credentialId}` : actor.via };
  const at = ctx.clock.now();
  await insertAuditEvents(
    tx,
    events.map((event) => ({
      ...who,
      action: event.action,
      targetType: event.target.type,
      targetId: event.target.id,
      campaignId: event.campaignId ?? null,
      before: withoutSecrets(event.before ?? null),
      after: withoutSecrets(event.after ?? null),
      at,
    })),
  );
}
