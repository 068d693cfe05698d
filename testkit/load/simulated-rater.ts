// Simulated raters for the invariant tests: they think for a random while, sometimes walk away from a
// lease past its expiry, answer late, skip, or resend a judgment (alone or twice at once), and run
// until the server has nothing left for them. Every judgment answered 200 is recorded.
import { randomUUID } from 'node:crypto';
import type { JsonClient, JsonReply } from './http-client';

export interface RaterBehaviour {
  leaseMs: number;
  maxThinkMs: number;
  /** Walk away from a lease and come back after it expired. */
  abandonRate: number;
  /** Walk away from the first lease whatever the draw, so a run with abandonRate > 0 always has an expired lease to reclaim. */
  abandonFirst?: boolean;
  /** Answer after the lease expired. */
  lateRate: number;
  skipRate: number;
  /** Resend an accepted judgment with the same key (half of them concurrently with the first send). */
  retryRate: number;
}

export const CALM: RaterBehaviour = { leaseMs: 0, maxThinkMs: 0, abandonRate: 0, lateRate: 0, skipRate: 0, retryRate: 0 };

/** The mix both invariant tests use: a few of every kind of trouble. */
export function unruly(leaseMs: number, maxThinkMs: number): RaterBehaviour {
  return { leaseMs, maxThinkMs, abandonRate: 0.04, lateRate: 0.04, skipRate: 0.02, retryRate: 0.1 };
}

export interface Accepted {
  raterId: string;
  idempotencyKey: string;
  assignmentId: string;
  choice: string;
}

export interface RunStats {
  accepted: Accepted[];
  leaseLost: number;
  abandoned: number;
  /** Every reply body the raters received, for the blind scan. */
  bodies: string[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const CHOICES = ['left', 'right', 'tie'] as const;

/** A random answer to an assignment: a choice for a pair; for a ranking task, its cards shuffled, sometimes two tied. */
function randomAnswer(assignment: { responses?: unknown[] }): { choice: string } | { ranking: number[][] } {
  if (!assignment.responses) return { choice: CHOICES[Math.floor(Math.random() * 3)]! };
  const cards = assignment.responses.map((_, i) => i).sort(() => Math.random() - 0.5);
  const groups = cards.map((card) => [card]);
  if (Math.random() < 0.3) groups.splice(0, 2, [...groups[0]!, ...groups[1]!]);
  return { ranking: groups };
}

function expectStatus(res: JsonReply, ...allowed: number[]): void {
  if (!allowed.includes(res.status)) throw new Error(`unexpected ${res.status}: ${res.text}`);
}

export async function runRater(
  http: JsonClient,
  rater: { id: string; session: string },
  campaignId: string,
  b: RaterBehaviour,
  stats: RunStats,
): Promise<void> {
  const call = async (method: 'GET' | 'POST', path: string, body?: unknown) => {
    const res = await http.request(method, path, rater.session, body);
    stats.bodies.push(res.text);
    return res;
  };
  const fetchNext = async () => {
    const res = await call('GET', `/api/campaigns/${campaignId}/assignments/next`);
    expectStatus(res, 200, 204);
    return res.status === 200 ? res.body : null;
  };
  let queue = await fetchNext();
  let first = true;
  while (queue) {
    const id: string = queue.assignment.id;
    const roll = Math.random();
    const abandon = roll < b.abandonRate || (first && b.abandonFirst === true);
    first = false;
    if (abandon) {
      stats.abandoned += 1;
      await sleep(b.leaseMs + 300);
      queue = await fetchNext();
      continue;
    }
    await sleep(Math.random() * b.maxThinkMs);
    if (roll < b.abandonRate + b.skipRate) {
      const res = await call('POST', `/api/assignments/${id}/skip`);
      expectStatus(res, 200);
      queue = res.body.next;
      continue;
    }
    if (roll < b.abandonRate + b.skipRate + b.lateRate) await sleep(b.leaseMs + 100);
    const body = { ...randomAnswer(queue.assignment), timeMs: 1000, idempotencyKey: randomUUID() };
    const send = () => call('POST', `/api/assignments/${id}/judgment`, body);
    const retry = Math.random() < b.retryRate;
    const replies = retry && Math.random() < 0.5 ? await Promise.all([send(), send()]) : [await send()];
    if (retry && replies.length === 1) replies.push(await send());
    for (const res of replies) expectStatus(res, 200, 409);
    const ok = replies.filter((r) => r.status === 200);
    if (ok.length > 0) {
      stats.accepted.push({ raterId: rater.id, idempotencyKey: body.idempotencyKey, assignmentId: id, choice: 'choice' in body ? body.choice : JSON.stringify(body.ranking) });
      for (const r of ok) if (JSON.stringify(r.body.judgment) !== JSON.stringify(ok[0]!.body.judgment)) throw new Error('a retry got another answer');
      queue = ok[0]!.body.next;
    } else {
      const code = replies[0]!.body.error.code;
      if (code !== 'LEASE_LOST') throw new Error(`unexpected ${code}: ${replies[0]!.text}`);
      stats.leaseLost += 1;
      queue = await fetchNext();
    }
  }
}

/**
 * Phase one: every rater with `behaviour` until nothing is left for them. Phase two, once every
 * abandoned lease has expired: every rater again, calmly, until each gets 204 — so work freed by late
 * expiries is finished too.
 */
export async function runRaters(
  clients: JsonClient[],
  raters: { id: string; session: string }[],
  campaignId: string,
  behaviour: RaterBehaviour,
): Promise<RunStats> {
  const stats: RunStats = { accepted: [], leaseLost: 0, abandoned: 0, bodies: [] };
  const http = (i: number) => clients[i % clients.length]!;
  // The first rater walks away from its first lease: with ~100 leases at a 4% rate, 1 run in 50 would otherwise have none.
  await Promise.all(raters.map((r, i) => runRater(http(i), r, campaignId, { ...behaviour, abandonFirst: i === 0 && behaviour.abandonRate > 0 }, stats)));
  await sleep(behaviour.leaseMs + 300);
  await Promise.all(raters.map((r, i) => runRater(http(i + 1), r, campaignId, CALM, stats)));
  return stats;
}
