// One bench:select run: a campaign of the simulated world (select-world.ts) judged through the real claim and judgment
// services by WORKERS raters at once until the referee says the question is answered or the judgment cap.
// Shared by bench:select (the runs over seeds) and bench:select:latency (which fills its two campaigns this way).
import { createSeededRandom, type Uniform } from '../server/domain/stats/random';
import type { Random, ServiceContext } from '../server/services/context';
import { claimNextAssignment } from '../server/services/rating/claim-next-assignment';
import { submitJudgment } from '../server/services/rating/submit-judgment';
import { refreshCampaignPriorities } from '../server/services/selection/refresh-pair-priorities';
import { createRaters, seedComparisons } from '../testkit/factory';
import type { TAssignmentQueue } from '../server/contract/rater';
import { AppError } from '../server/errors';
import { MODELS, RATERS, raterPanel, Referee, type RunOutcome, type TrueModel } from './select-world';

export const PROMPTS = Number(process.env.PROMPTS ?? 140);
export const K = 3;
export const WORKERS = 6;
export const REFRESH_EVERY = Number(process.env.REFRESH_EVERY ?? 100);

export type Mode = 'uniform' | 'active';

export function seededServiceRandom(seed: number): Random {
  const u = createSeededRandom(seed);
  const bytes = (n: number) => Buffer.from(Array.from({ length: n }, () => Math.floor(u() * 256)));
  return {
    bytes,
    float: u,
    uuid: () => {
      const b = bytes(16);
      b[6] = (b[6]! & 0x0f) | 0x40;
      b[8] = (b[8]! & 0x3f) | 0x80;
      const h = b.toString('hex');
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
    },
  };
}

export interface RunResult extends RunOutcome {
  roundTripMs: number[];
  /** Active mode: per claim, how many judgments the priorities it read were behind (judgments recorded - judgments in their fit). */
  priorityAge: number[];
  /** Active mode: refreshes done, and how many times the raters waited for one that overran its period. */
  refreshes: { done: number; waited: number };
  arms: Record<string, number>;
  campaignId: string;
}

/** `cap`: the judgments at which the run gives up (a capped run); bench:select:latency fills a campaign to it. */
export async function run(ctx0: ServiceContext, mode: Mode, seed: number, models: TrueModel[], cap: number): Promise<RunResult> {
  const ctx: ServiceContext = { ...ctx0, random: seededServiceRandom(seed * 2 + (mode === 'active' ? 1 : 0)) };
  const rand: Uniform = createSeededRandom(seed * 7919 + (mode === 'active' ? 1 : 0));
  const prisma = ctx.db.prisma as Parameters<typeof seedComparisons>[0];
  const s = await seedComparisons(prisma, { prompts: PROMPTS, models: MODELS, votes: K, selection: mode, controlShare: 0.2 });
  // Which seeded model index plays which true model: shuffled per seed, so id order says nothing about strength.
  const order = models.map((_, i) => i).sort(() => rand() - 0.5);
  const modelOf = (index: number) => models[order[index]!]!;
  const raters = await createRaters(prisma, s.campaignId, RATERS);
  const panel = raterPanel(rand);
  const queues = new Map<string, TAssignmentQueue | null>();
  for (const r of raters) queues.set(r.id, (await claimNextAssignment(ctx, r.id, s.campaignId, { prefetch: true, explainInactive: false })).next);
  const referee = new Referee(models.map((m) => m.name));
  const roundTripMs: number[] = [];
  const priorityAge: number[] = [];
  const refreshes = { done: 0, waited: 0 };
  // The judgments behind the priorities written last (null: none yet), and the refresh running (null: none).
  let prioritiesOf: number | null = null;
  let refreshing: Promise<unknown> | null = null;
  // While set, the raters wait for it (a refresh that overran its period).
  let pause: Promise<unknown> | null = null;
  // WORKERS raters judge at once (each worker takes turns among its share of the raters), as a team would.
  const worker = async (share: number[]) => {
    const waiting = share.filter((r) => queues.get(raters[r]!.id));
    while (waiting.length > 0 && referee.judged < cap && !referee.done) {
      if (pause) await pause;
      const at = Math.floor(rand() * waiting.length);
      const rater = raters[waiting[at]!]!;
      const { assignment } = queues.get(rater.id)!;
      if (!assignment.left || !assignment.right) throw new Error('pairs only');
      const [left, right] = [assignment.left.content, assignment.right.content].map((c) => Number(/^Reply (\d+) /.exec(c)![1])) as [number, number];
      const leftWins = panel.leftWins(waiting[at]!, modelOf(left).elo, modelOf(right).elo);
      const t0 = performance.now();
      const reply = await submitJudgment(ctx, rater.id, assignment.id, { choice: leftWins ? 'left' : 'right', timeMs: 5000, idempotencyKey: ctx.random.uuid() }).catch(
        (err: unknown) => {
          // A lease held past its time (the process paused, a stalled machine) went back: not counted, the rater carries on.
          if (!(err instanceof AppError && err.code === 'LEASE_LOST')) throw err;
          return null;
        },
      );
      if (!reply) {
        queues.set(rater.id, (await claimNextAssignment(ctx, rater.id, s.campaignId, { prefetch: true, explainInactive: false })).next);
        if (!queues.get(rater.id)) waiting.splice(at, 1);
        continue;
      }
      roundTripMs.push(performance.now() - t0);
      if (mode === 'active' && prioritiesOf !== null) priorityAge.push(referee.judged - prioritiesOf);
      queues.set(rater.id, reply.next);
      if (!reply.next) waiting.splice(at, 1);
      referee.record(modelOf(leftWins ? left : right).name, modelOf(leftWins ? right : left).name);
      // The schedule's stand-in: a refresh every REFRESH_EVERY judgments, running beside the raters' claims. As the
      // schedule (refreshPrioritiesPeriodically), refreshes never queue up behind one another. A refresh that falls due
      // while the last still runs waits for it, and the raters with it: the simulated raters judge a thousand times
      // faster than people, who give a refresh (about a second) a 30 s period of some 100 judgments; without the wait,
      // how stale the priorities get would depend on the machine's load rather than on the rule.
      if (mode === 'active' && referee.judged % REFRESH_EVERY === 0) {
        if (refreshing) {
          refreshes.waited++;
          pause = refreshing;
          await refreshing;
          pause = null;
        }
        if (!refreshing) {
          refreshing = refreshCampaignPriorities(ctx, s.campaignId).then((r) => {
            prioritiesOf = r.judgments;
            refreshes.done++;
            refreshing = null;
          });
        }
      }
    }
  };
  await Promise.all(Array.from({ length: WORKERS }, (_, w) => worker(raters.flatMap((_, i) => (i % WORKERS === w ? [i] : [])))));
  await refreshing;
  const arms = await prisma.$queryRawUnsafe<{ arm: string; n: number }[]>(
    `SELECT arm::text AS arm, count(*)::int AS n FROM "Assignment" WHERE "campaignId" = $1::uuid GROUP BY 1`,
    s.campaignId,
  );
  return { ...referee.outcome, roundTripMs, priorityAge, refreshes, arms: Object.fromEntries(arms.map((a) => [a.arm, a.n])), campaignId: s.campaignId };
}

