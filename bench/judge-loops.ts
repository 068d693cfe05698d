// The units of work of bench:judge and the two measurements on them, shared by the benchmark and the
// load-generator process it starts for the HTTP runs (bench/judge-client.ts).
import { randomUUID } from 'node:crypto';
import { RATING_SQL } from '../server/db/sql/rating';
import type { SqlRunner } from '../server/db/sql-runner';
import { JsonClient } from '../testkit/load/http-client';

export type Rater = { id: string; session: string };
export type Step = () => Promise<number | null>;

/** One rater's unit of work: claim if needed, judge; resolves with the judge latency or null when nothing is left. */
export interface Loop {
  /** Prepares a rater (first claim); returns a step function. */
  start(rater: Rater, campaignId: string): Promise<Step>;
}

/** Ranking tasks of this many responses (bench:judge --task ranking): every judgment ranks them all. */
export const RANKING_SIZE = 4;
/** The answer each judgment sends, in slot terms for the baseline and card terms over HTTP: best first, one card per group. */
const RANKING = Array.from({ length: RANKING_SIZE }, (_, i) => [i]);

/**
 * The baseline: the repository's claim and judge statements straight to the driver — no HTTP, auth, validation or
 * payloads. A ranking judgment writes the ranking and the choice it implies for slots 0 and 1, as the app does.
 */
export function rawLoop(db: SqlRunner, ranking = false): Loop {
  const claim = (rater: Rater, campaignId: string) => {
    const now = new Date();
    return db.transaction(
      async (_query, finish) => {
        const id = randomUUID();
        const [rows] = await finish([
          { sql: RATING_SQL.claim, params: [campaignId, rater.id, now, id, Math.random() < 0.5, false, null, 600, 'uniform'] },
          { sql: RATING_SQL.whyNothingLeftUnlessLeased, params: [campaignId, rater.id, id] },
        ]);
        return rows!.length > 0 ? id : null;
      },
      // Committed asynchronously, as the app's claim (inClaimTransaction); the judgment synchronously, as the app's. The
      // claim's state is read in BEGIN's round trip, as the app's: BEGIN, claim and commit, judgment.
      {
        lead: { sql: RATING_SQL.lockMembership, params: [campaignId, rater.id] },
        opening: [{ sql: RATING_SQL.claimState, params: [campaignId, rater.id, now, now] }],
        asyncCommit: true,
      },
    );
  };
  return {
    async start(rater, campaignId) {
      let current = await claim(rater, campaignId);
      return async () => {
        if (!current) return null;
        const t0 = performance.now();
        const rows = await db.query(RATING_SQL.judge, [current, rater.id, campaignId, 'A', null, null, null, 1000, randomUUID(), 1, new Date(), ranking ? JSON.stringify(RANKING) : null, false]);
        if (rows.length !== 1) throw new Error('baseline judgment refused');
        current = await claim(rater, campaignId);
        return performance.now() - t0;
      };
    },
  };
}

/** The app: POST a judgment through HTTP (the reply carries the next assignment, leased in the same request). */
export function httpLoop(http: JsonClient, ranking = false): Loop {
  return {
    async start(rater, campaignId) {
      const first = await http.request('GET', `/api/campaigns/${campaignId}/assignments/next`, rater.session);
      let current: string | null = first.status === 200 ? first.body.assignment.id : null;
      return async () => {
        if (!current) return null;
        const t0 = performance.now();
        const res = await http.request('POST', `/api/assignments/${current}/judgment`, rater.session, {
          ...(ranking ? { ranking: RANKING } : { choice: 'left' }),
          timeMs: 1000,
          idempotencyKey: randomUUID(),
        });
        const ms = performance.now() - t0;
        if (res.status !== 200) throw new Error(`judgment answered ${res.status}: ${res.text}`);
        current = res.body.next?.assignment.id ?? null;
        return ms;
      };
    },
  };
}

/** (a) Every rater judges back to back for `seconds`; judgments per second. */
export async function throughput(steps: Step[], seconds: number): Promise<number> {
  const end = performance.now() + seconds * 1000;
  let done = 0;
  await Promise.all(
    steps.map(async (step) => {
      while (performance.now() < end) {
        if ((await step()) === null) throw new Error('ran out of work');
        done += 1;
      }
    }),
  );
  return done / seconds;
}

export interface LatencyResult {
  p50: number;
  p99: number;
  sent: number;
  late: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** (b) Judgments sent at a steady `rate` by idle raters; latency from the intended send time (no coordinated omission). */
export async function latency(idle: Step[], rate: number, seconds: number): Promise<LatencyResult> {
  const total = rate * seconds;
  const start = performance.now();
  const samples: number[] = [];
  const inflight: Promise<void>[] = [];
  let late = 0;
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    let step = idle.pop();
    if (!step) {
      late += 1; // every rater busy: the request waits for one, and that wait counts in its latency
      while (!(step = idle.pop())) await new Promise<void>((r) => setImmediate(r));
    }
    inflight.push(
      step().then((ms) => {
        if (ms === null) throw new Error('ran out of work');
        samples.push(performance.now() - due);
        idle.unshift(step!);
      }),
    );
  }
  await Promise.all(inflight);
  samples.sort((a, b) => a - b);
  const q = (p: number) => samples[Math.min(samples.length - 1, Math.floor(p * samples.length))]!;
  return { p50: q(0.5), p99: q(0.99), sent: samples.length, late };
}

/** What the benchmark asks its load-generator process to do, and what comes back. */
export interface ClientTask {
  kind: 'throughput' | 'latency';
  baseUrl: string;
  origin: string;
  campaignId: string;
  raters: Rater[];
  rate: number;
  seconds: number;
  /** Ranking tasks of RANKING_SIZE instead of pairs. */
  ranking: boolean;
}
export type ClientResult = { throughput: number } | { latency: LatencyResult } | { error: string };

/** Runs a task's HTTP measurement: starts every rater (first claim), then throughput or latency. */
export async function runClientTask(task: ClientTask): Promise<ClientResult> {
  const http = new JsonClient(task.baseUrl, task.origin, task.raters.length * 2);
  try {
    const loop = httpLoop(http, task.ranking);
    const steps = await Promise.all(task.raters.map((r) => loop.start(r, task.campaignId)));
    return task.kind === 'throughput' ? { throughput: await throughput(steps, task.seconds) } : { latency: await latency(steps, task.rate, task.seconds) };
  } finally {
    http.close();
  }
}
