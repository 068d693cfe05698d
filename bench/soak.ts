// bench:soak — two app instances on one Postgres, 200 simulated raters for five minutes, instance B
// SIGKILLed and restarted every minute, clients retrying with their idempotency keys on the other
// instance. Prints throughput, judge p50/p99, errors by kind, each instance's RSS per minute (target: A
// within 10% from minute 1 to 5), and the SQL check at the end: no comparison over k, no duplicate
// (rater, comparison), every judgment answered 200 stored. Baseline, same run: the same two instances
// and raters for --baseline-seconds without kills.
//   tsx bench/soak.ts [--minutes 5] [--raters 200] [--think-ms 400] [--baseline-seconds 30]
import { parseArgs } from 'node:util';
import { loadConfig } from '../server/config';
import { openDatabase, type Database } from '../server/db/database';
import { seedComparisons } from '../testkit/factory';
import { measureInvariants } from '../testkit/load/invariant-report';
import { createRaters } from '../testkit/factory';
import { percentile, runSoak, type SoakResult } from '../testkit/load/soak';
import { freshBenchDatabase } from './bench-database';

const { values: args } = parseArgs({
  options: {
    minutes: { type: 'string', default: '5' },
    raters: { type: 'string', default: '200' },
    'think-ms': { type: 'string', default: '400' },
    'baseline-seconds': { type: 'string', default: '30' },
  },
});
const MINUTES = Number(args.minutes);
const RATERS = Number(args.raters);
const THINK_MS = Number(args['think-ms']);
const BASELINE_SECONDS = Number(args['baseline-seconds']);
const ORIGIN = 'http://juxta.test';

/** Work for `seconds` at up to 450 judgments/s (3 comparisons per prompt, k = 3), so nobody runs out, and the raters as members. */
async function seedWork(db: Database, seconds: number) {
  const s = await seedComparisons(db.prisma, { prompts: Math.ceil(seconds * 50), models: 3, votes: 3, leaseSeconds: 60 });
  return { campaignId: s.campaignId, raters: await createRaters(db.prisma, s.campaignId, RATERS) };
}

function figures(label: string, seconds: number, r: SoakResult): void {
  const f = (x: number) => x.toFixed(1);
  console.log(`${label}: ${r.accepted.length} judgments in ${seconds} s = ${f(r.accepted.length / seconds)} judgments/s; ` +
    `judge p50 ${f(percentile(r.judgeLatencies, 50))} ms, p99 ${f(percentile(r.judgeLatencies, 99))} ms (retries included); ` +
    `requests A ${r.requestsA}, B ${r.requestsB}`);
  const errors = Object.entries(r.errors).sort((x, y) => y[1] - x[1]);
  console.log(`  errors by kind: ${errors.length ? errors.map(([k, n]) => `${k} ${n}`).join(', ') : 'none'}`);
}

const url = await freshBenchDatabase('juxta_bench_soak');
const db = await openDatabase(loadConfig({ DATABASE_URL: url, LOG_LEVEL: 'silent', JUXTA_DEMO: 'false' }));
console.log(`bench:soak: ${RATERS} raters (think 0-${THINK_MS} ms), two instances on ${url}`);

const baselineWork = await seedWork(db, BASELINE_SECONDS);
const baseline = await runSoak({ databaseUrl: url, origin: ORIGIN, ...baselineWork, seconds: BASELINE_SECONDS, killBAt: [], maxThinkMs: THINK_MS });

const seconds = MINUTES * 60;
const work = await seedWork(db, seconds);
const killBAt = Array.from({ length: MINUTES - 1 }, (_, i) => (i + 1) * 60);
console.log(`soak: ${MINUTES} min, B killed at ${killBAt.join(', ')} s`);
const soak = await runSoak({
  databaseUrl: url, origin: ORIGIN, ...work, seconds, killBAt, maxThinkMs: THINK_MS, sampleEverySeconds: 60, sampleOffsetSeconds: 30,
  log: (msg) => console.log(msg),
});
const report = await measureInvariants(db.prisma, work.campaignId, soak.accepted);
await db.close();

console.log('');
figures(`baseline (no kills, ${BASELINE_SECONDS} s)`, BASELINE_SECONDS, baseline);
figures(`soak (B SIGKILLed ${soak.kills} times)`, seconds, soak);
console.log(`  B restarts: ${soak.restartMs.map((ms) => `${(ms / 1000).toFixed(1)} s`).join(', ')}`);
console.log('  RSS per minute (MB):');
for (const s of soak.rss) console.log(`    ${String(s.atSeconds).padStart(4)} s   A ${s.a}   B ${s.b ?? '(restarting)'}`);
// Samples at 30, 90, ... s: the middle of each minute, between B's kills.
const a1 = soak.rss[0]?.a;
const aLast = soak.rss.at(-1)?.a;
if (a1 && aLast) console.log(`  A from minute 1 to ${MINUTES}: ${a1} -> ${aLast} MB (${(((aLast - a1) / a1) * 100).toFixed(1)}%; target within 10%)`);
console.log(`  SQL check: over k ${report.overTarget}, duplicate (rater, comparison) ${report.doubleJudged}, accepted but not stored ${report.acceptedMissing}, counter drift ${report.counterDrift}`);
const ok = report.overTarget === 0 && report.doubleJudged === 0 && report.acceptedMissing === 0;
console.log(ok ? 'invariants hold' : 'INVARIANTS BROKEN');
process.exit(ok ? 0 : 1);
