// The soak: two app processes on one Postgres, simulated raters judging for a while, instance B
// SIGKILLed and restarted on a schedule, and clients that retry an unanswered request with the same
// idempotency key on the other instance (as the web client's outbox retries, behind a load balancer).
// Shared by bench:soak (minutes, figures) and the CI invariant test (seconds, SQL checks).
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { startAppProcess, type AppProcess } from './app-processes';
import { JsonClient, type JsonReply } from './http-client';
import type { Accepted } from './simulated-rater';

export interface SoakOptions {
  databaseUrl: string;
  origin: string;
  campaignId: string;
  raters: { id: string; session: string }[];
  seconds: number;
  /** Seconds from the start at which B is SIGKILLed and started again. */
  killBAt: number[];
  /** Think time per judgment, uniform in [0, maxThinkMs). */
  maxThinkMs: number;
  /** Every `sampleEverySeconds`, each instance's RSS is read (0: never). */
  sampleEverySeconds?: number;
  /** When the first sample is read (default 0): half a minute puts them between the kills, away from A's spike as it takes B's share. */
  sampleOffsetSeconds?: number;
  poolSize?: number;
  log?: (msg: string) => void;
}

export interface SoakResult {
  accepted: Accepted[];
  /** Judgment requests (with their retries) that ended in a reply, in ms from first send to reply. */
  judgeLatencies: number[];
  /** Error counts by kind: a network error code, "http <status> <code>", or "gave up". */
  errors: Record<string, number>;
  /** RSS in MB of each instance at each sample, with the time of the sample. */
  rss: { atSeconds: number; a: number; b: number | null }[];
  kills: number;
  /** Start-up time of each restart of B, ms. */
  restartMs: number[];
  requestsA: number;
  requestsB: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const CHOICES = ['left', 'right', 'tie'] as const;

function rssMb(pid: number | undefined): number | null {
  if (!pid) return null;
  try {
    const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Math.round(Number(kb) / 1024) : null;
  } catch {
    return null;
  }
}

export async function runSoak(o: SoakOptions): Promise<SoakResult> {
  const log = o.log ?? (() => {});
  const pool = o.poolSize ?? 10;
  const a = await startAppProcess(o.databaseUrl, pool);
  let b: AppProcess | null = await startAppProcess(o.databaseUrl, pool);
  const clientA = new JsonClient(a.baseUrl, o.origin);
  let clientB = new JsonClient(b.baseUrl, o.origin);
  const result: SoakResult = { accepted: [], judgeLatencies: [], errors: {}, rss: [], kills: 0, restartMs: [], requestsA: 0, requestsB: 0 };
  const count = (kind: string) => (result.errors[kind] = (result.errors[kind] ?? 0) + 1);
  const started = performance.now();
  const elapsed = () => (performance.now() - started) / 1000;
  const stopAt = started + o.seconds * 1000;
  // The run lasts `seconds`, and in any case until every kill's restart is done and B has had a second more:
  // a restart slower than the gap to the end (a loaded machine, tsx compiling cold) would otherwise drop a kill.
  let killerDone = false;
  let tailUntil = 0;
  const running = () => performance.now() < stopAt || !killerDone || performance.now() < tailUntil;

  /** Sends until some instance answers: on a network error the same request (same key) goes to the other instance. */
  async function send(prefer: number, method: 'GET' | 'POST', path: string, session: string, body?: unknown): Promise<{ res: JsonReply | null; prefer: number }> {
    for (let attempt = 0; attempt < 50; attempt++) {
      const onB = prefer % 2 === 1 && b !== null;
      const client = onB ? clientB : clientA;
      try {
        return { res: await client.request(method, path, session, body), prefer };
      } catch (err) {
        count((err as NodeJS.ErrnoException).code ?? (err as Error).message);
        prefer += 1;
        await sleep(50 + Math.random() * 100);
      }
    }
    count('gave up');
    return { res: null, prefer };
  }

  async function rater(index: number, r: { id: string; session: string }): Promise<void> {
    let prefer = index;
    const next = async () => {
      const sent = await send(prefer, 'GET', `/api/campaigns/${o.campaignId}/assignments/next`, r.session);
      prefer = sent.prefer;
      if (sent.res && sent.res.status !== 200 && sent.res.status !== 204) count(`http ${sent.res.status} ${sent.res.body?.error?.code ?? ''}`.trim());
      return sent.res?.status === 200 ? sent.res.body : null;
    };
    let queue = await next();
    while (queue && running()) {
      await sleep(Math.random() * o.maxThinkMs);
      const id: string = queue.assignment.id;
      const body = { choice: CHOICES[Math.floor(Math.random() * 3)], timeMs: 1000, idempotencyKey: randomUUID() };
      const t0 = performance.now();
      const sent = await send(prefer, 'POST', `/api/assignments/${id}/judgment`, r.session, body);
      prefer = sent.prefer;
      if (!sent.res) {
        queue = await next();
        continue;
      }
      result.judgeLatencies.push(performance.now() - t0);
      if (sent.res.status === 200) {
        result.accepted.push({ raterId: r.id, idempotencyKey: body.idempotencyKey, assignmentId: id, choice: body.choice });
        queue = sent.res.body.next ?? (await next());
      } else {
        count(`http ${sent.res.status} ${sent.res.body?.error?.code ?? ''}`.trim());
        queue = await next();
      }
    }
  }

  let sampling: NodeJS.Timeout | null = null;
  if (o.sampleEverySeconds) {
    const every = o.sampleEverySeconds * 1000;
    const sample = () => result.rss.push({ atSeconds: Math.round(elapsed()), a: rssMb(a.child.pid) ?? 0, b: rssMb(b?.child.pid) });
    sampling = setTimeout(() => {
      sample();
      sampling = setInterval(sample, every);
    }, (o.sampleOffsetSeconds ?? 0) * 1000);
  }
  const killer = (async () => {
    try {
      for (const at of o.killBAt) {
        await sleep(Math.max(0, started + at * 1000 - performance.now()));
        if (!b) break;
        const dying = b;
        result.requestsB += clientB.requests;
        b = null;
        dying.child.kill('SIGKILL');
        await new Promise((r) => dying.child.once('exit', r));
        clientB.close();
        result.kills += 1;
        const t0 = performance.now();
        b = await startAppProcess(o.databaseUrl, pool);
        result.restartMs.push(performance.now() - t0);
        clientB = new JsonClient(b.baseUrl, o.origin);
        log(`  ${elapsed().toFixed(0)} s: B killed and restarted in ${(performance.now() - t0).toFixed(0)} ms`);
      }
    } finally {
      tailUntil = performance.now() + 1000;
      killerDone = true;
    }
  })();

  await Promise.all(o.raters.map((r, i) => rater(i, r)));
  if (sampling) clearTimeout(sampling);
  await killer;
  result.requestsA = clientA.requests;
  result.requestsB += clientB.requests;
  clientA.close();
  clientB.close();
  for (const p of [a, b]) {
    if (p && p.child.exitCode === null) {
      const exited = new Promise((r) => p.child.once('exit', r));
      p.child.kill('SIGTERM');
      await exited;
    }
  }
  return result;
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}
