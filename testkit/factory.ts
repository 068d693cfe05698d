// The one test-data factory, for tests and benchmarks: campaigns (status set explicitly, ACTIVE unless
// asked), published imports of prompts, responses and comparisons, raters who are members, and judgments
// with their assignments, written straight through Prisma. Every value is unique to the call, so test
// files and benchmarks can share a database without wiping tables.
//
// Three shapes of campaign, one core:
// - seedComparisons: N prompts x M models, every pair a comparison (the rater loop, load, benchmarks);
// - seedCampaign + addJudgments: prompts written out, judgments with the times, undos and exclusions a test needs (exports);
// - seedStats: one prompt per comparison between named models, raters and judgments by index (stats).
import { randomBytes, randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { ZCampaignDesignSchema, ZTaskDesignSchema, type TTaskDesign, type TTurn } from '../server/contract/campaign';
import type { PrismaClient } from '../server/db/database';
import { hashSecret } from '../server/services/auth/secrets';

export type CampaignStatus = 'DRAFT' | 'ACTIVE' | 'PAUSED' | 'ARCHIVED';
export type ImportStatus = 'RUNNING' | 'PUBLISHED' | 'FAILED';
export type Choice = 'A' | 'B' | 'TIE' | 'BOTH_BAD';

// ---------------------------------------------------------------------------------------------------
// The core: one campaign, one import, raters, judgments.

export interface CampaignFields {
  name: string;
  /** ACTIVE unless a test asks otherwise: new campaigns default to DRAFT, seeded ones must not follow that. */
  status?: CampaignStatus;
  design: TTaskDesign;
  votesPerComparison: number;
  instructions: string;
  seed: string;
  goldRate?: number;
  leaseSeconds?: number;
  maxJudgmentsPerRater?: number | null;
  /** Pair selection (the schema's default: uniform) and the control share of active selection. */
  selection?: 'uniform' | 'active';
  controlShare?: number;
}

/** A campaign with guideline version 1, pairing all. */
export async function createCampaign(prisma: PrismaClient, fields: CampaignFields): Promise<string> {
  const campaign = await prisma.campaign.create({
    data: {
      name: fields.name,
      status: fields.status ?? 'ACTIVE',
      design: fields.design,
      pairing: { kind: 'all' },
      votesPerComparison: fields.votesPerComparison,
      ...(fields.goldRate === undefined ? {} : { goldRate: fields.goldRate }),
      ...(fields.leaseSeconds === undefined ? {} : { leaseSeconds: fields.leaseSeconds }),
      ...(fields.maxJudgmentsPerRater === undefined ? {} : { maxJudgmentsPerRater: fields.maxJudgmentsPerRater }),
      ...(fields.selection === undefined ? {} : { selection: fields.selection }),
      ...(fields.controlShare === undefined ? {} : { controlShare: fields.controlShare }),
      seed: fields.seed,
      guidelines: { create: { version: 1, instructions: fields.instructions, design: fields.design } },
    },
  });
  return campaign.id;
}

export async function createImport(prisma: PrismaClient, campaignId: string, status: ImportStatus = 'PUBLISHED'): Promise<string> {
  const importId = randomUUID();
  await prisma.import.create({ data: { id: importId, campaignId, format: 'native', status } });
  return importId;
}

export interface SeededRater {
  id: string;
  email: string;
}

/** Raters (role RATER, no password, no session) who are members of the campaign, in the order of `names`. */
export async function addRaters(prisma: PrismaClient, campaignId: string, names: readonly string[], email: () => string): Promise<SeededRater[]> {
  const raters: SeededRater[] = [];
  for (const name of names) {
    const user = await prisma.user.create({ data: { email: email(), name, role: 'RATER' } });
    await prisma.campaignMember.create({ data: { campaignId, userId: user.id } });
    raters.push({ id: user.id, email: user.email });
  }
  return raters;
}

/** `n` raters with live sessions (the cookie value in `session`) who are members of the campaign, in bulk: load tests and benchmarks. */
export async function createRaters(prisma: PrismaClient, campaignId: string, n: number): Promise<{ id: string; session: string }[]> {
  const raters = Array.from({ length: n }, () => ({ id: randomUUID(), session: `jxs_${randomBytes(32).toString('base64url')}` }));
  await prisma.user.createMany({ data: raters.map((r) => ({ id: r.id, email: `load-${r.id}@juxta.test`, name: 'Load rater', role: 'RATER' as const })) });
  await prisma.session.createMany({
    data: raters.map((r) => ({ userId: r.id, tokenHash: hashSecret(r.session), expiresAt: new Date(Date.now() + 86_400_000) })),
  });
  await prisma.campaignMember.createMany({ data: raters.map((r) => ({ campaignId, userId: r.id })) });
  return raters;
}

export interface JudgmentRow {
  comparisonId: number;
  raterId: string;
  choice: Choice;
  isGold: boolean;
  createdAt: Date;
  timeMs: number;
  leftIsA: boolean;
  strength: number | null;
  criteria?: Record<string, { choice: Choice; strength?: number | null }> | null;
  rationale?: string | null;
  undoneAt: Date | null;
  guidelineVersion: number;
  idempotencyKey?: string;
}

/** Submitted assignments and their judgments, as the rater loop would have written them (bulk inserts); the judgments' ids in order. */
export async function insertJudgments(prisma: PrismaClient, campaignId: string, rows: readonly JudgmentRow[]): Promise<number[]> {
  const withIds = rows.map((row) => ({ row, assignmentId: randomUUID() }));
  await prisma.assignment.createMany({
    data: withIds.map(({ row, assignmentId }) => ({
      id: assignmentId,
      campaignId,
      comparisonId: row.comparisonId,
      raterId: row.raterId,
      leftIsA: row.leftIsA,
      guidelineVersion: row.guidelineVersion,
      status: 'SUBMITTED' as const,
      issuedAt: new Date(row.createdAt.getTime() - row.timeMs),
      expiresAt: new Date(row.createdAt.getTime() + 600_000),
      closedAt: row.createdAt,
    })),
  });
  const created = await prisma.judgment.createManyAndReturn({
    select: { id: true, assignmentId: true },
    data: withIds.map(({ row, assignmentId }) => ({
      assignmentId,
      activeAssignmentId: row.undoneAt ? null : assignmentId,
      campaignId,
      comparisonId: row.comparisonId,
      raterId: row.raterId,
      choice: row.choice,
      leftIsA: row.leftIsA,
      strength: row.strength,
      criteria: row.criteria ?? undefined,
      rationale: row.rationale ?? null,
      timeMs: row.timeMs,
      idempotencyKey: row.idempotencyKey ?? randomUUID(),
      guidelineVersion: row.guidelineVersion,
      isGold: row.isGold,
      createdAt: row.createdAt,
      undoneAt: row.undoneAt,
    })),
  });
  const idOf = new Map(created.map((row) => [row.assignmentId, row.id]));
  return withIds.map(({ assignmentId }) => idOf.get(assignmentId)!);
}

// ---------------------------------------------------------------------------------------------------
// seedComparisons: prompts x models, every pair a comparison.

export interface SeedComparisonsOptions {
  prompts?: number;
  /** Models answering every prompt; every pair of them is a comparison. */
  models?: number;
  /** k, judgments wanted per comparison. */
  votes?: number;
  /** How many comparisons (the first ones) are gold instead, with target 0. */
  gold?: number;
  goldRate?: number;
  design?: Partial<TTaskDesign>;
  leaseSeconds?: number;
  maxJudgmentsPerRater?: number | null;
  status?: CampaignStatus;
  importStatus?: ImportStatus;
  /** Add to an existing campaign (a second import) instead of making one. */
  campaignId?: string;
  /** A ranking campaign (task size = models): each prompt is one ranking task of all its responses instead of all pairs. */
  ranking?: boolean;
  /** Active pair selection, and its control share (default 0.2). */
  selection?: 'uniform' | 'active';
  controlShare?: number;
}

export interface SeededComparisons {
  campaignId: string;
  importId: string;
  models: string[];
  promptIds: number[];
  responseIds: number[];
  comparisonIds: number[];
  goldIds: number[];
}

export async function seedComparisons(prisma: PrismaClient, o: SeedComparisonsOptions = {}): Promise<SeededComparisons> {
  const tag = randomUUID().slice(0, 8);
  const size = o.models ?? 3;
  const design = ZCampaignDesignSchema.parse({ ...(o.ranking ? { task: { type: 'ranking', size } } : {}), ...o.design });
  const campaignId =
    o.campaignId ??
    (await createCampaign(prisma, {
      name: `Campaign ${tag}`,
      status: o.status,
      design,
      votesPerComparison: o.votes ?? 3,
      goldRate: o.goldRate ?? 0,
      maxJudgmentsPerRater: o.maxJudgmentsPerRater ?? null,
      selection: o.selection,
      controlShare: o.controlShare,
      leaseSeconds: o.leaseSeconds ?? 600,
      seed: randomUUID(),
      instructions: 'Pick the more helpful answer.',
    }));
  const importId = await createImport(prisma, campaignId, o.importStatus);
  const models = Array.from({ length: o.models ?? 3 }, (_, i) => `model-${tag}-${i}`);
  // Prompts and responses as one statement each, the rows as one jsonb array, ids given in its order: Prisma's
  // createManyAndReturn splits a large batch into chunks that it sends at once on the transaction's one connection
  // (pg's deprecated queueing: "Calling client.query() when the client is already executing a query"), and is slow.
  const prompts = (
    await prisma.$queryRawUnsafe<{ id: number }[]>(
    `INSERT INTO "Prompt" ("campaignId", "importId", key, context)
     SELECT $1::uuid, $2::uuid, r->>'key', r->'context' FROM jsonb_array_elements($3::jsonb) WITH ORDINALITY t(r, at) ORDER BY t.at
     RETURNING id`,
    campaignId,
    importId,
    JSON.stringify(Array.from({ length: o.prompts ?? 4 }, (_, i) => ({ key: `${tag}-${i}`, context: [{ role: 'user', content: `Question ${i}: how do I sort a list?` }] }))),
    )
  ).sort((x, y) => x.id - y.id);
  const responses = (
    await prisma.$queryRawUnsafe<{ id: number; promptId: number; model: string }[]>(
    `INSERT INTO "Response" ("campaignId", "importId", "promptId", key, model, content)
     SELECT $1::uuid, $2::uuid, (r->>'promptId')::int, r->>'key', r->>'model', r->>'content' FROM jsonb_array_elements($3::jsonb) WITH ORDINALITY t(r, at) ORDER BY t.at
     RETURNING id, "promptId", model`,
    campaignId,
    importId,
    JSON.stringify(prompts.flatMap((p, i) => models.map((model, m) => ({ promptId: p.id, key: `model:${model}#0`, model, content: `Reply ${m} to question ${i}.` })))),
    )
  ).sort((x, y) => x.id - y.id);
  const byPrompt = new Map<number, typeof responses>();
  for (const r of responses) byPrompt.set(r.promptId, [...(byPrompt.get(r.promptId) ?? []), r]);
  const pairs = prompts.flatMap((p) => {
    const rs = byPrompt.get(p.id) ?? [];
    const pair = (a: (typeof rs)[number], b: (typeof rs)[number]) => ({ promptId: p.id, responseAId: a.id, responseBId: b.id, modelA: a.model, modelB: b.model });
    // A ranking task: every response of the prompt in a slot (A and B are slots 0 and 1).
    if (o.ranking) return [{ ...pair(rs[0]!, rs[1]!), slots: rs.map((r) => r.id) }];
    return rs.flatMap((a, i) => rs.slice(i + 1).map((b) => pair(a, b)));
  });
  const gold = o.gold ?? 0;
  // One statement, the rows as one jsonb array, ids given in its order: Prisma's createManyAndReturn spent two and a
  // half minutes of client time on bench:select's 26,600 comparisons (a loaded machine), this statement seconds.
  const rows = pairs.map((pair, i) => ({
    ...pair,
    isGold: i < gold,
    target: i < gold ? 0 : (o.votes ?? 3),
    goldChoice: i < gold ? 'A' : null,
    goldRanking: i < gold && o.ranking ? Array.from({ length: size }, (_, slot) => [slot]) : undefined,
  }));
  const comparisons = (
    await prisma.$queryRawUnsafe<{ id: number; isGold: boolean }[]>(
      `INSERT INTO "Comparison" ("campaignId", "importId", "promptId", "responseAId", "responseBId", "modelA", "modelB", "isGold", target, "goldChoice", slots, "goldRanking")
       SELECT $1::uuid, $2::uuid, (r->>'promptId')::int, (r->>'responseAId')::int, (r->>'responseBId')::int, r->>'modelA', r->>'modelB',
         (r->>'isGold')::boolean, (r->>'target')::int, (r->>'goldChoice')::"Choice",
         ARRAY(SELECT s::int FROM jsonb_array_elements_text(r->'slots') WITH ORDINALITY e(s, at) ORDER BY at), r->'goldRanking'
       FROM jsonb_array_elements($3::jsonb) WITH ORDINALITY t(r, at) ORDER BY t.at
       RETURNING id, "isGold"`,
      campaignId,
      importId,
      JSON.stringify(rows),
    )
  ).sort((x, y) => x.id - y.id);
  // As after a real import: fresh statistics, so the planner walks the claim index instead of sorting.
  await prisma.$executeRawUnsafe('ANALYZE "Comparison", "Response", "Prompt", "Import"');
  return {
    campaignId,
    importId,
    models,
    promptIds: prompts.map((p) => p.id),
    responseIds: responses.map((r) => r.id),
    comparisonIds: comparisons.filter((c) => !c.isGold).map((c) => c.id),
    goldIds: comparisons.filter((c) => c.isGold).map((c) => c.id),
  };
}

/** Moves the id sequences far from small numbers, so a test can search payloads for ids as text. */
export async function spreadIdSequences(prisma: PrismaClient, start: number): Promise<void> {
  for (const table of ['Prompt', 'Response', 'Comparison']) {
    await prisma.$executeRawUnsafe(`SELECT setval(pg_get_serial_sequence('"${table}"', 'id'), ${Math.trunc(start)})`);
  }
}

// ---------------------------------------------------------------------------------------------------
// seedCampaign: prompts written out; judgments added with addJudgments.

export interface SeedResponse {
  model: string;
  content: string;
}

export interface SeedPrompt {
  key?: string;
  context: TTurn[];
  /** Every pair of these becomes a comparison, the earlier response as A. */
  responses: SeedResponse[];
  gold?: Choice;
}

export interface SeedCampaignOptions {
  name?: string;
  status?: CampaignStatus;
  design?: unknown;
  votesPerComparison?: number;
  raters?: number;
  prompts: SeedPrompt[];
  importStatus?: ImportStatus;
}

export interface SeededComparison {
  id: number;
  promptKey: string;
  context: TTurn[];
  a: SeedResponse;
  b: SeedResponse;
  target: number;
  isGold: boolean;
}

export interface SeededCampaign {
  id: string;
  seed: string;
  importId: string;
  raters: SeededRater[];
  comparisons: SeededComparison[];
}

/** A judgment for addJudgments: on a comparison of the campaign, by one of its raters. */
export interface CampaignJudgment {
  comparison: SeededComparison;
  rater: SeededRater;
  choice: Choice;
  strength?: number | null;
  criteria?: Record<string, { choice: Choice; strength: number | null }> | null;
  rationale?: string | null;
  createdAt?: Date;
  undoneAt?: Date | null;
  guidelineVersion?: number;
  leftIsA?: boolean;
  timeMs?: number;
}

export async function seedCampaign(app: FastifyInstance, options: SeedCampaignOptions): Promise<SeededCampaign> {
  const { prisma } = app.ctx.db;
  const seed = randomUUID();
  const design = ZTaskDesignSchema.parse(options.design ?? {});
  const k = options.votesPerComparison ?? 3;
  const campaignId = await createCampaign(prisma, {
    name: options.name ?? `Export test ${seed.slice(0, 8)}`,
    status: options.status,
    design,
    votesPerComparison: k,
    seed,
    instructions: 'Pick the better answer.',
  });
  const importId = await createImport(prisma, campaignId, options.importStatus);
  const names = Array.from({ length: options.raters ?? 3 }, (_, i) => `Rater ${i}`);
  const raters = await addRaters(prisma, campaignId, names, () => `rater-${randomUUID()}@juxta.test`);

  // Bulk inserts, so a test can seed thousands of comparisons quickly on PGlite too.
  const prompts = options.prompts.map((prompt, index) => ({ ...prompt, key: prompt.key ?? `prompt-${index}-${randomUUID()}` }));
  const promptRows = await prisma.prompt.createManyAndReturn({
    select: { id: true, key: true },
    data: prompts.map((prompt) => ({ campaignId, key: prompt.key, context: prompt.context, importId })),
  });
  const promptId = new Map(promptRows.map((row) => [row.key, row.id]));
  const responseRows = await prisma.response.createManyAndReturn({
    select: { id: true, promptId: true, model: true },
    data: prompts.flatMap((prompt) => prompt.responses.map((response) => ({ campaignId, promptId: promptId.get(prompt.key)!, importId, key: `model:${response.model}#0`, ...response }))),
  });
  const responseId = new Map(responseRows.map((row) => [`${row.promptId}/${row.model}`, row.id]));
  const planned = prompts.flatMap((prompt) => {
    const id = promptId.get(prompt.key)!;
    const isGold = prompt.gold !== undefined;
    return prompt.responses.flatMap((a, i) =>
      prompt.responses.slice(i + 1).map((b) => ({ prompt, a, b, isGold, promptId: id, responseAId: responseId.get(`${id}/${a.model}`)!, responseBId: responseId.get(`${id}/${b.model}`)! })),
    );
  });
  const comparisonRows = await prisma.comparison.createManyAndReturn({
    select: { id: true, responseAId: true, responseBId: true },
    data: planned.map((c) => ({
      campaignId,
      promptId: c.promptId,
      responseAId: c.responseAId,
      responseBId: c.responseBId,
      modelA: c.a.model,
      modelB: c.b.model,
      target: c.isGold ? 0 : k,
      isGold: c.isGold,
      goldChoice: c.prompt.gold ?? null,
      importId,
    })),
  });
  const comparisonId = new Map(comparisonRows.map((row) => [`${row.responseAId}/${row.responseBId}`, row.id]));
  const comparisons: SeededComparison[] = planned.map((c) => ({
    id: comparisonId.get(`${c.responseAId}/${c.responseBId}`)!,
    promptKey: c.prompt.key,
    context: c.prompt.context,
    a: c.a,
    b: c.b,
    target: c.isGold ? 0 : k,
    isGold: c.isGold,
  }));
  return { id: campaignId, seed, importId, raters, comparisons };
}

/** Assignments and their judgments, as the rater loop would have written them (bulk inserts); `submitted` is left as it is. */
export async function addJudgments(app: FastifyInstance, campaign: SeededCampaign, judgments: CampaignJudgment[]): Promise<number[]> {
  return insertJudgments(
    app.ctx.db.prisma,
    campaign.id,
    judgments.map((judgment) => ({
      comparisonId: judgment.comparison.id,
      raterId: judgment.rater.id,
      choice: judgment.choice,
      isGold: judgment.comparison.isGold,
      createdAt: judgment.createdAt ?? new Date(),
      timeMs: judgment.timeMs ?? 4200,
      leftIsA: judgment.leftIsA ?? true,
      strength: judgment.strength ?? null,
      criteria: judgment.criteria,
      rationale: judgment.rationale,
      undoneAt: judgment.undoneAt ?? null,
      guidelineVersion: judgment.guidelineVersion ?? 1,
    })),
  );
}

export async function addJudgment(app: FastifyInstance, campaign: SeededCampaign, judgment: CampaignJudgment): Promise<number> {
  const [id] = await addJudgments(app, campaign, [judgment]);
  return id!;
}

/** Undo recorded later, as the rater loop's undo does: the row stays, with its undo time. */
export async function undoJudgment(app: FastifyInstance, judgmentId: number, at: Date): Promise<void> {
  await app.ctx.db.prisma.judgment.update({ where: { id: judgmentId }, data: { undoneAt: at, activeAssignmentId: null } });
}

/** An admin's exclusion (or re-inclusion) at a given time: the event and the member's current state. */
export async function setRaterExcluded(app: FastifyInstance, campaign: SeededCampaign, rater: SeededRater, excluded: boolean, at: Date): Promise<void> {
  const { prisma } = app.ctx.db;
  await prisma.raterExclusion.create({ data: { campaignId: campaign.id, raterId: rater.id, excluded, createdAt: at } });
  await prisma.campaignMember.update({ where: { campaignId_userId: { campaignId: campaign.id, userId: rater.id } }, data: { excluded } });
}

// ---------------------------------------------------------------------------------------------------
// seedStats: one prompt per comparison between named models; raters and judgments by index.

export interface StatsComparison {
  modelA: string;
  modelB: string;
  gold?: Choice;
  contentA?: string;
  contentB?: string;
}

/** A judgment for seedStats. */
export interface StatsJudgment {
  /** Index into `comparisons` and `raters`. */
  comparison: number;
  rater: number;
  choice: Choice;
  strength?: number;
  criteria?: Record<string, { choice: Choice; strength?: number }>;
  /** Default true. */
  leftIsA?: boolean;
  /** Default 30 s. */
  timeMs?: number;
  /** Default: one second after the previous judgment of the call. */
  createdAt?: Date;
  undone?: boolean;
}

export interface SeedStatsSpec {
  k?: number;
  status?: CampaignStatus;
  design?: Partial<TTaskDesign>;
  comparisons: StatsComparison[];
  /** Number of raters (members of the campaign), or their names. */
  raters: number | string[];
  judgments: StatsJudgment[];
  /** Import status of the rows (default PUBLISHED). */
  importStatus?: 'PUBLISHED' | 'RUNNING';
  /** Existing campaign to add a further import to. */
  campaignId?: string;
}

export interface SeededStats {
  campaignId: string;
  comparisonIds: number[];
  raterIds: string[];
}

const STATS_DESIGN: TTaskDesign = {
  scale: { allowTie: true, allowBothBad: true, strengthLevels: [] },
  criteria: [],
  rationale: { mode: 'off', minLength: 0 },
};

export const SEED_START = new Date('2026-03-02T09:00:00Z');

/**
 * Inserts the campaign (or reuses `campaignId`), one import, one prompt per comparison with its two
 * responses, the raters as members, an assignment per judgment, and the judgments. Each comparison's
 * `submitted` is set to its standing judgments, as the rater loop would have left it.
 */
export async function seedStats(app: FastifyInstance, spec: SeedStatsSpec): Promise<SeededStats> {
  const { prisma } = app.ctx.db;
  const tag = randomUUID();
  const k = spec.k ?? 3;
  const design = { ...STATS_DESIGN, ...spec.design };
  const campaignId =
    spec.campaignId ?? (await createCampaign(prisma, { name: `Stats ${tag}`, status: spec.status, design, votesPerComparison: k, seed: `seed-${tag}`, instructions: '' }));
  const importId = await createImport(prisma, campaignId, spec.importStatus);

  const comparisonIds: number[] = [];
  for (const [i, c] of spec.comparisons.entries()) {
    const prompt = await prisma.prompt.create({
      data: { campaignId, importId, key: `${tag}-${i}`, context: [{ role: 'user', content: `Prompt ${i}` }] },
    });
    const [a, b] = await prisma.response.createManyAndReturn({
      data: [
        { campaignId, importId, promptId: prompt.id, key: 'a', model: c.modelA, content: c.contentA ?? `Answer of ${c.modelA} to ${i}` },
        { campaignId, importId, promptId: prompt.id, key: 'b', model: c.modelB, content: c.contentB ?? `Answer of ${c.modelB} to ${i}` },
      ],
    });
    const comparison = await prisma.comparison.create({
      data: { campaignId, importId, promptId: prompt.id, responseAId: a!.id, responseBId: b!.id, modelA: c.modelA, modelB: c.modelB, target: c.gold ? 0 : k, isGold: c.gold !== undefined, goldChoice: c.gold ?? null },
    });
    comparisonIds.push(comparison.id);
  }

  const names = typeof spec.raters === 'number' ? Array.from({ length: spec.raters }, (_, i) => `Rater ${i + 1}`) : spec.raters;
  const raterIds = (await addRaters(prisma, campaignId, names, () => `${randomUUID()}@seed.test`)).map((r) => r.id);

  let clock = SEED_START.getTime();
  await insertJudgments(
    prisma,
    campaignId,
    spec.judgments.map((j) => {
      const createdAt = j.createdAt ?? new Date((clock += 1000));
      return {
        comparisonId: comparisonIds[j.comparison]!,
        raterId: raterIds[j.rater]!,
        choice: j.choice,
        isGold: spec.comparisons[j.comparison]!.gold !== undefined,
        createdAt,
        timeMs: j.timeMs ?? 30_000,
        leftIsA: j.leftIsA ?? true,
        strength: j.strength ?? null,
        criteria: j.criteria,
        undoneAt: j.undone ? new Date(createdAt.getTime() + 5000) : null,
        guidelineVersion: 1,
      };
    }),
  );
  await prisma.$executeRaw`
    UPDATE "Comparison" c SET "submitted" = (
      SELECT count(*) FROM "Judgment" j WHERE j."comparisonId" = c."id" AND j."undoneAt" IS NULL)
    WHERE c."importId" = ${importId}::uuid`;
  return { campaignId, comparisonIds, raterIds };
}

/** Judgments of every rater on every comparison with the same choice, as a starting point for specs. */
export function everyoneJudges(comparisons: number, raters: number, choose: (comparison: number, rater: number) => Choice): StatsJudgment[] {
  return Array.from({ length: comparisons }, (_, c) => Array.from({ length: raters }, (_, r) => ({ comparison: c, rater: r, choice: choose(c, r) }))).flat();
}
