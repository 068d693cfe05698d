// Your sessions: the live ones of your account (device, address, last seen), and ending any of them.
import Bowser from 'bowser';
import type { TSession } from '../../contract/account';
import { forgetCachedSessions, listLiveSessionsOf, revokeSessionOf } from '../../db/repositories/credentials';
import { AppError } from '../../errors';
import { recordAuditEvent } from '../audit/record-audit-event';
import type { ServiceContext } from '../context';
import type { Auth } from './authenticate';

/** "Firefox 133 on Linux" from a User-Agent (bowser knows the browsers and systems; a hand-made list would age). */
export function describeDevice(userAgent: string | null): string {
  if (!userAgent) return 'Unknown device';
  const ua = Bowser.parse(userAgent);
  const browser = [ua.browser.name, ua.browser.version?.split('.')[0]].filter(Boolean).join(' ');
  const os = ua.os.name ?? '';
  if (!browser) return os ? `Unknown browser on ${os}` : userAgent.slice(0, 80);
  return os ? `${browser} on ${os}` : browser;
}

export async function listOwnSessions(ctx: ServiceContext, auth: Auth): Promise<TSession[]> {
  const now = ctx.clock.now();
  const idleBefore = new Date(now.getTime() - ctx.config.session.idleMinutes * 60_000);
  const rows = await listLiveSessionsOf(ctx.db, auth.user.id, now, idleBefore);
  return rows.map((s) => ({
    id: s.id,
    device: describeDevice(s.userAgent),
    ip: s.ip,
    createdAt: s.createdAt.toISOString(),
    lastSeenAt: s.lastSeenAt.toISOString(),
    current: auth.via === 'session' && s.id === auth.credentialId,
  }));
}

/** Ends one of your sessions (this one too: that is a logout). Another account's session is "not found". */
export async function endOwnSession(ctx: ServiceContext, auth: Auth, sessionId: string): Promise<void> {
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    if (!(await revokeSessionOf(tx, auth.user.id, sessionId, now))) throw new AppError('NOT_FOUND', 'You have no live session with this id; list your sessions to find it.');
    await recordAuditEvent(ctx, tx, auth, { action: 'session.end', target: { type: 'session', id: sessionId } });
  });
  forgetCachedSessions(ctx.db, { userId: auth.user.id });
}
