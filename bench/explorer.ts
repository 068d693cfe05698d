// bench:explorer — `tsx bench/explorer.ts [--comparisons N] [--pages P] [--rounds R] [--reuse] [--explain]`.
// Seeds one Postgres campaign with N comparisons (default 250,000) and about 4.1 judgments each (1,025,000 at
// the default), then pages through GET /api/campaigns/:id/comparisons over HTTP for each filter alone, two
// combinations and both sorts (P pages of 50 following nextCursor, R rounds), and reports p50/p95/max per
// page next to the baseline measured in the same run: the plain keyset query (comparisons of the campaign by
// id, pages of 50) sent straight through `pg`. Target: every case's p95 under 300 ms.
// The seed is set-based SQL with the session's triggers off (session_replication_role = replica), then the
// explorer's summary columns are filled by one UPDATE: the per-row summary trigger would recount a
// comparison for every inserted judgment. --explain prints EXPLAIN ANALYZE of each case's first page.
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { buildApp } from '../server/app';
import { loadConfig } from '../server/config';
import { openDatabase } from '../server/db/database';
import { comparisonPageQuery, type ComparisonFilters } from '../server/db/repositories/explorer';
import { hashSecret, newSecret } from '../server/services/auth/secrets';
import { freshBenchDatabase } from './bench-database';

const args = process.argv.slice(2);
const option = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const N = Number(option('--comparisons') ?? 250_000);
const PAGES = Number(option('--pages') ?? 10);
const ROUNDS = Number(option('--rounds') ?? 3);
const LIMIT = 50;
const TARGET = 5;
const RATERS = 60;
const EXCLUDED_RATERS = 2;
const MODELS = 20;
const TOPICS = 500;
const CAMPAIGN = '00000000-0000-4000-a000-0000000000e1';
const IMPORT = '00000000-0000-4000-a000-0000000000e2';
const DEFAULT_URL = 'postgresql://postgres@127.0.0.1:5432/juxta_bench_explorer';

/** The model of prompt g's response s (0 or 1): pairs (g, g+1+g/20) mod 20, every pair of the 20 models. */
const modelOf = (g: string, s: 0 | 1) => `'model-' || ${s === 0 ? `${g} % ${MODELS}` : `(${g} + 1 + (${g} / ${MODELS}) % (${MODELS} - 1)) % ${MODELS}`}`;
const uuidOf = (prefix: string, n: string) => `('${prefix}' || lpad(to_hex(${n}), 12, '0'))::uuid`;
const raterOf = (g: string, s: string) => uuidOf('00000000-0000-4000-8000-', `((${g} * 7 + ${s} * 13) % ${RATERS}) + 1`);
const assignmentOf = (g: string, s: string) => uuidOf('00000000-0000-4000-9000-', `${g} * ${TARGET} + ${s}`);
/** Judgments per comparison: 70% complete (k = 5), the rest 0..4. */
const votesOf = (g: string) => `CASE WHEN ${g} % 10 < 7 THEN ${TARGET} ELSE ${g} % 5 END`;
/** The s-th judgment's time: every comparison's first vote, then every second..., as a live campaign interleaves them. */
const timeOf = (g: string, s: string) => `timestamptz '2025-01-01' + (${s} * ${N} + ${g}) * interval '1 second'`;

/** A judgment's choice (0-4 A, 5-7 B, 8 tie, 9 both bad): every 4th comparison unanimous, the others mixed. */
const CHOICE_KEY = `(CASE WHEN g % 4 = 0 THEN g * 7 ELSE g * 7 + s * 3 END) % 10`;

/**
 * Set-based seed. Models model-0..19, a prompt's two responses from models (g, g+1+g/20) mod 20; 1 in 200
 * comparisons gold, 1 in 3 with a reference label, 1 in 97 flagged, 1 in 1,000 removed, 1 in 50,000 over k;
 * 1 in 40 judgments with a rationale; the last 10% under guideline version 2; 2 of 60 raters excluded.
 * Prompts: 60% say "explain" (the common search), each names one of 500 topics (topic-137 is the rare one).
 */
function seedStatements(): string[] {
  const design = JSON.stringify({ scale: { allowTie: true, allowBothBad: true, strengthLevels: [] }, criteria: [], rationale: { mode: 'optional', minLength: 0 } });
  return [
    `INSERT INTO "Campaign" (id, name, design, pairing, seed, "votesPerComparison", "updatedAt", status)
       VALUES ('${CAMPAIGN}', 'Explorer bench', '${design}', '{"kind":"all"}', 'bench-seed', ${TARGET}, now(), 'ACTIVE')`,
    `INSERT INTO "CampaignGuideline" ("campaignId", version, instructions, design)
       VALUES ('${CAMPAIGN}', 1, 'Pick the better answer.', '${design}'), ('${CAMPAIGN}', 2, 'Pick the better answer (v2).', '${design}')`,
    `INSERT INTO "Import" (id, "campaignId", format, status) VALUES ('${IMPORT}', '${CAMPAIGN}', 'native', 'PUBLISHED')`,
    `INSERT INTO "User" (id, email, name, role)
       SELECT ${uuidOf('00000000-0000-4000-8000-', 'r')}, 'bench-rater-' || r || '@bench.test', 'Rater ' || r, 'RATER' FROM generate_series(1, ${RATERS}) r`,
    `INSERT INTO "CampaignMember" ("campaignId", "userId", excluded)
       SELECT '${CAMPAIGN}', ${uuidOf('00000000-0000-4000-8000-', 'r')}, r <= ${EXCLUDED_RATERS} FROM generate_series(1, ${RATERS}) r`,
    `INSERT INTO "Prompt" (id, "campaignId", key, context, "importId")
       SELECT g, '${CAMPAIGN}', 'p' || g,
         jsonb_build_array(jsonb_build_object('role', 'user', 'content',
           'Question ' || g || ': ' || CASE WHEN g % 5 < 3 THEN 'please explain ' ELSE 'tell me about ' END || 'topic-' || (g % ${TOPICS}) || ' ' ||
           repeat('in a few short paragraphs with one example. ', 4))),
         '${IMPORT}'
       FROM generate_series(1, ${N}) g`,
    `INSERT INTO "Response" (id, "campaignId", "promptId", key, model, content, "importId")
       SELECT 2 * g - 1 + s, '${CAMPAIGN}', g, 'r' || s,
         CASE WHEN s = 0 THEN ${modelOf('g', 0)} ELSE ${modelOf('g', 1)} END,
         'Answer ' || g || '/' || s || ': ' || repeat('a reasonably long reply sentence. ', 12), '${IMPORT}'
       FROM generate_series(1, ${N}) g, generate_series(0, 1) s`,
    `INSERT INTO "Comparison" (id, "campaignId", "promptId", "responseAId", "responseBId", "modelA", "modelB", target, submitted, "importId",
         "isGold", "goldChoice", "referenceChoice", "referenceSource", removed, "removedAt", "createdAt")
       SELECT g, '${CAMPAIGN}', g, 2 * g - 1, 2 * g, ${modelOf('g', 0)}, ${modelOf('g', 1)},
         CASE WHEN g % 200 = 0 THEN 0 ELSE ${TARGET} END,
         CASE WHEN g % 200 = 0 THEN 0 WHEN g % 50000 = 1 THEN ${TARGET} + 1 ELSE ${votesOf('g')} END, '${IMPORT}',
         g % 200 = 0, CASE WHEN g % 200 = 0 THEN 'A'::"Choice" END,
         CASE WHEN g % 3 = 0 THEN (CASE WHEN g % 7 < 4 THEN 'A' ELSE 'B' END)::"Choice" END, CASE WHEN g % 3 = 0 THEN 'alpaca-eval:bench' END,
         g % 1000 = 0, CASE WHEN g % 1000 = 0 THEN timestamptz '2025-03-01' END, timestamptz '2024-12-31'
       FROM generate_series(1, ${N}) g`,
    `INSERT INTO "Assignment" (id, "campaignId", "comparisonId", "raterId", "leftIsA", "guidelineVersion", status, "issuedAt", "expiresAt", "closedAt")
       SELECT ${assignmentOf('g', 's')}, '${CAMPAIGN}', g, ${raterOf('g', 's')}, (g + s) % 2 = 0, CASE WHEN g > ${Math.floor(N * 0.9)} THEN 2 ELSE 1 END, 'SUBMITTED',
         ${timeOf('g', 's')}, ${timeOf('g', 's')} + interval '1 hour', ${timeOf('g', 's')}
       FROM generate_series(0, ${TARGET - 1}) s, generate_series(1, ${N}) g WHERE s < ${votesOf('g')}`,
    `INSERT INTO "Judgment" ("assignmentId", "activeAssignmentId", "campaignId", "comparisonId", "raterId", choice, "leftIsA", "timeMs",
         "idempotencyKey", "guidelineVersion", "isGold", rationale, "createdAt")
       SELECT ${assignmentOf('g', 's')}, ${assignmentOf('g', 's')}, '${CAMPAIGN}', g, ${raterOf('g', 's')},
         (CASE WHEN ${CHOICE_KEY} < 5 THEN 'A' WHEN ${CHOICE_KEY} < 8 THEN 'B' WHEN ${CHOICE_KEY} < 9 THEN 'TIE' ELSE 'BOTH_BAD' END)::"Choice",
         (g + s) % 2 = 0, 3000 + (g * 13 + s) % 5000, 'k' || g || '-' || s, CASE WHEN g > ${Math.floor(N * 0.9)} THEN 2 ELSE 1 END, g % 200 = 0,
         CASE WHEN (g * 3 + s) % 40 = 0 THEN 'Response A cites its source; B does not.' END, ${timeOf('g', 's')}
       FROM generate_series(0, ${TARGET - 1}) s, generate_series(1, ${N}) g WHERE s < ${votesOf('g')} ORDER BY s, g`,
    `INSERT INTO "Flag" ("campaignId", "assignmentId", "comparisonId", "raterId", reason, target, note, "createdAt")
       SELECT '${CAMPAIGN}', ${assignmentOf('g', '0')}, g, ${raterOf('g', '0')}, 'BROKEN', 'A', 'cut off mid-sentence', ${timeOf('g', '0')} + interval '5 seconds'
       FROM generate_series(1, ${N}) g WHERE g % 97 = 0 AND ${votesOf('g')} > 0`,
    // The explorer's summary in one statement: standing votes of raters not excluded, dispute per mille, flags, latest activity.
    `UPDATE "Comparison" c SET "votesA" = v.a, "votesB" = v.b, "votesTie" = v.t, "votesBothBad" = v.bb,
         dispute = CASE WHEN v.n = 0 THEN 0 ELSE 1000 * (v.n - GREATEST(v.a, v.b, v.t, v.bb)) / v.n END,
         "flagCount" = v.flags, "lastActivityAt" = GREATEST(c."createdAt", v.latest, v."latestFlag")
       FROM (
         SELECT c2.id,
           count(*) FILTER (WHERE j.choice = 'A' AND NOT m.excluded)::int AS a, count(*) FILTER (WHERE j.choice = 'B' AND NOT m.excluded)::int AS b,
           count(*) FILTER (WHERE j.choice = 'TIE' AND NOT m.excluded)::int AS t, count(*) FILTER (WHERE j.choice = 'BOTH_BAD' AND NOT m.excluded)::int AS bb,
           count(*) FILTER (WHERE j.id IS NOT NULL AND NOT m.excluded)::int AS n, max(j."createdAt") AS latest,
           (SELECT count(*)::int FROM "Flag" f WHERE f."comparisonId" = c2.id) AS flags,
           (SELECT max(f."createdAt") FROM "Flag" f WHERE f."comparisonId" = c2.id) AS "latestFlag"
         FROM "Comparison" c2
         LEFT JOIN "Judgment" j ON j."comparisonId" = c2.id AND j."undoneAt" IS NULL
         LEFT JOIN "CampaignMember" m ON m."campaignId" = j."campaignId" AND m."userId" = j."raterId"
         WHERE c2."campaignId" = '${CAMPAIGN}'
         GROUP BY c2.id
       ) v
       WHERE c.id = v.id`,
    `SELECT setval(pg_get_serial_sequence('"${'Prompt'}"', 'id'), ${N}), setval(pg_get_serial_sequence('"Response"', 'id'), ${2 * N}),
       setval(pg_get_serial_sequence('"Comparison"', 'id'), ${N})`,
    'VACUUM ANALYZE',
  ];
}

async function seed(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`SET session_replication_role = replica`); // no triggers (summary, foreign keys) while seeding
  for (const statement of seedStatements()) {
    const started = performance.now();
    await client.query(statement);
    console.log(`  ${statement.trim().split(/\s+/).slice(0, 3).join(' ')}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  await client.end();
}

const NO_FILTERS: ComparisonFilters = {
  promptId: null, model: null, pair: null, status: null, agreement: null, flagged: null, rationale: null, rater: null,
  guidelineVersion: null, gold: null, reference: null, text: null,
};
const RATER_3 = '00000000-0000-4000-8000-000000000003';

interface Case {
  name: string;
  query: Record<string, string>;
  filters: Partial<ComparisonFilters>;
}

/** Every filter of the API alone (with newest activity first), both sorts, and two combinations. */
const CASES: Case[] = [
  { name: 'newest activity first (no filter)', query: {}, filters: {} },
  { name: 'most disputed first (no filter)', query: { sort: 'disputed' }, filters: {} },
  { name: 'prompt', query: { promptId: '4242' }, filters: { promptId: 4242 } },
  { name: 'model', query: { model: 'model-7' }, filters: { model: 'model-7' } },
  { name: 'model pair', query: { pair: 'model-3~model-4' }, filters: { pair: ['model-3', 'model-4'] } },
  { name: 'model, no match', query: { model: 'model-none' }, filters: { model: 'model-none' } },
  { name: 'status open', query: { status: 'open' }, filters: { status: 'open' } },
  { name: 'status complete', query: { status: 'complete' }, filters: { status: 'complete' } },
  { name: 'status over k', query: { status: 'over' }, filters: { status: 'over' } },
  { name: 'status excluded', query: { status: 'excluded' }, filters: { status: 'excluded' } },
  { name: 'status removed', query: { status: 'removed' }, filters: { status: 'removed' } },
  { name: 'status active', query: { status: 'active' }, filters: { status: 'active' } },
  { name: 'agreement unanimous', query: { agreement: 'unanimous' }, filters: { agreement: 'unanimous' } },
  { name: 'agreement split', query: { agreement: 'split' }, filters: { agreement: 'split' } },
  { name: 'agreement tie-heavy', query: { agreement: 'tie-heavy' }, filters: { agreement: 'tie-heavy' } },
  { name: 'flagged', query: { flagged: 'true' }, filters: { flagged: true } },
  { name: 'not flagged', query: { flagged: 'false' }, filters: { flagged: false } },
  { name: 'with rationale', query: { rationale: 'true' }, filters: { rationale: true } },
  { name: 'without rationale', query: { rationale: 'false' }, filters: { rationale: false } },
  { name: 'rater', query: { rater: RATER_3 }, filters: { rater: RATER_3 } },
  { name: 'guideline version 2', query: { guidelineVersion: '2' }, filters: { guidelineVersion: 2 } },
  { name: 'gold', query: { gold: 'true' }, filters: { gold: true } },
  { name: 'not gold', query: { gold: 'false' }, filters: { gold: false } },
  { name: 'reference present', query: { reference: 'present' }, filters: { reference: 'present' } },
  { name: 'reference absent', query: { reference: 'absent' }, filters: { reference: 'absent' } },
  { name: 'reference agrees', query: { reference: 'agrees' }, filters: { reference: 'agrees' } },
  { name: 'reference disagrees', query: { reference: 'disagrees' }, filters: { reference: 'disagrees' } },
  { name: 'text, common ("explain", 60%)', query: { q: 'explain' }, filters: { text: 'explain' } },
  { name: 'text, rare ("topic-137 ", 0.2%)', query: { q: 'topic-137 ' }, filters: { text: 'topic-137 ' } },
  { name: 'text, no match', query: { q: 'zebra crossing' }, filters: { text: 'zebra crossing' } },
  {
    name: 'combo: model + split, most disputed',
    query: { model: 'model-7', agreement: 'split', sort: 'disputed' },
    filters: { model: 'model-7', agreement: 'split' },
  },
  { name: 'combo: text + rationale', query: { q: 'explain', rationale: 'true' }, filters: { text: 'explain', rationale: true } },
];

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
const ms = (value: number) => value.toFixed(1).padStart(8);

interface Timing {
  p50: number;
  p95: number;
  max: number;
  pages: number;
  firstPageRows: number;
}

function summarise(samples: number[], firstPageRows: number): Timing {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), max: sorted.at(-1) ?? NaN, pages: samples.length, firstPageRows };
}

async function main(): Promise<void> {
  const reuse = args.includes('--reuse');
  const url = reuse ? (process.env.BENCH_DATABASE_URL ?? DEFAULT_URL) : await freshBenchDatabase('juxta_bench_explorer');
  const config = loadConfig({ DATABASE_URL: url, LOG_LEVEL: 'silent', JUXTA_DEMO: 'false', WEB_DIST_DIR: path.join(os.tmpdir(), 'juxta-bench-no-web') });
  if (!reuse) {
    const migrated = await openDatabase(config); // migrations only
    await migrated.close();
    console.log(`seeding ${N.toLocaleString('en')} comparisons (set-based, triggers off)...`);
    const started = performance.now();
    await seed(url);
    console.log(`seeded in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  }
  const direct = new pg.Pool({ connectionString: url, max: 2 });
  const [{ judgments }] = (await direct.query(`SELECT count(*)::int AS judgments FROM "Judgment" WHERE "campaignId" = $1`, [CAMPAIGN])).rows;

  const app = await buildApp(config, { logger: false });
  const user = await app.ctx.db.prisma.user.create({ data: { email: `bench-admin-${randomUUID()}@bench.test`, name: 'Bench', role: 'ADMIN' } });
  const token = newSecret(app.ctx.random, 'jxt');
  await app.ctx.db.prisma.apiToken.create({ data: { name: 'bench', tokenHash: hashSecret(token), prefix: token.slice(0, 8), userId: user.id, scopes: ['admin'] } });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;

  /** P pages of one case through HTTP, following nextCursor; latency of each page. */
  async function walk(query: Record<string, string>): Promise<{ samples: number[]; firstPageRows: number }> {
    const samples: number[] = [];
    let cursor: string | null = null;
    let firstPageRows = 0;
    for (let page = 0; page < PAGES; page++) {
      const search = new URLSearchParams({ ...query, limit: String(LIMIT), ...(cursor ? { cursor } : {}) });
      const started = performance.now();
      const response = await fetch(`${base}/api/campaigns/${CAMPAIGN}/comparisons?${search}`, { headers: { authorization: `Bearer ${token}` } });
      const body = (await response.json()) as { items: unknown[]; nextCursor: string | null };
      samples.push(performance.now() - started);
      if (!response.ok) throw new Error(`${response.status} ${JSON.stringify(body)}`);
      if (page === 0) firstPageRows = body.items.length;
      cursor = body.nextCursor;
      if (!cursor) break;
    }
    return { samples, firstPageRows };
  }

  /** The baseline: the plain keyset query over the campaign's comparisons by id, straight through pg. */
  async function baseline(): Promise<number[]> {
    const samples: number[] = [];
    let after = 2 ** 31 - 1;
    for (let page = 0; page < PAGES; page++) {
      const started = performance.now();
      const { rows } = await direct.query(
        `SELECT * FROM "Comparison" WHERE "campaignId" = $1::uuid AND id < $2::int ORDER BY id DESC LIMIT $3::int`,
        [CAMPAIGN, after, LIMIT + 1],
      );
      samples.push(performance.now() - started);
      after = rows[LIMIT - 1]?.id ?? 0;
    }
    return samples;
  }

  console.log(`${judgments.toLocaleString('en')} judgments, ${N.toLocaleString('en')} comparisons on Postgres; ${PAGES} pages of ${LIMIT} x ${ROUNDS} rounds per case; load ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  await walk({}); // warm the app's code paths and the connection pool
  const base0: number[] = [];
  const results = new Map<string, Timing>();
  const samples = new Map<string, number[]>(CASES.map((c) => [c.name, []]));
  const firstRows = new Map<string, number>();
  // Rounds interleave the cases, so a burst of load on the shared machine spreads over all of them.
  for (let round = 0; round < ROUNDS; round++) {
    base0.push(...(await baseline()));
    for (const c of CASES) {
      const walked = await walk(c.query);
      samples.get(c.name)!.push(...walked.samples);
      firstRows.set(c.name, walked.firstPageRows);
    }
  }
  for (const c of CASES) results.set(c.name, summarise(samples.get(c.name)!, firstRows.get(c.name)!));
  const baselineTiming = summarise(base0, LIMIT);

  const width = Math.max(...CASES.map((c) => c.name.length), 30);
  console.log(`\n${'case'.padEnd(width)}      p50      p95      max  pages  rows on page 1  (ms per page)`);
  const line = (name: string, t: Timing) => `${name.padEnd(width)} ${ms(t.p50)} ${ms(t.p95)} ${ms(t.max)} ${String(t.pages).padStart(6)} ${String(t.firstPageRows).padStart(15)}`;
  console.log(line('BASELINE plain keyset query (pg)', baselineTiming));
  for (const c of CASES) console.log(line(c.name, results.get(c.name)!));
  const over = CASES.filter((c) => results.get(c.name)!.p95 >= 300);
  const worst = Math.max(...CASES.map((c) => results.get(c.name)!.p95));
  console.log(
    `\nworst p95 ${worst.toFixed(1)} ms (target < 300 ms): ${over.length === 0 ? 'every case under target' : `over target: ${over.map((c) => c.name).join('; ')}`}` +
      `; baseline p95 ${baselineTiming.p95.toFixed(1)} ms; load ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`,
  );

  if (args.includes('--explain')) {
    for (const c of CASES) {
      const sort = c.query.sort === 'disputed' ? 'disputed' : 'activity';
      const statement = await comparisonPageQuery(app.ctx.db, { campaignId: CAMPAIGN, filters: { ...NO_FILTERS, ...c.filters }, sort, after: null, limit: LIMIT + 1 });
      if (!statement) {
        console.log(`\n--- ${c.name}\nno statement: the text matches no prompt`);
        continue;
      }
      const { rows } = await direct.query(`EXPLAIN (ANALYZE, BUFFERS) ${statement.sql}`, statement.params);
      console.log(`\n--- ${c.name}\n${rows.map((r: Record<string, string>) => r['QUERY PLAN']).join('\n')}`);
    }
  }
  await app.close();
  await direct.end();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
