// Factory for export tests: a campaign with a published import, prompts, responses, comparisons, raters,
// and judgments written straight through Prisma with the times, undos and exclusions a test needs;
// and a download helper that reads an export back byte for byte.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { ZTaskDesignSchema, type TTurn } from '../../server/contract/campaign';
import { client, type TestUser } from './app';

type Choice = 'A' | 'B' | 'TIE' | 'BOTH_BAD';

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
  design?: unknown;
  votesPerComparison?: number;
  raters?: number;
  prompts: SeedPrompt[];
  importStatus?: 'PUBLISHED' | 'RUNNING' | 'FAILED';
}

export interface SeededRater {
  id: string;
  email: string;
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

export interface SeedJudgment {
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
  const campaign = await prisma.campaign.create({
    data: {
      name: options.name ?? `Export test ${seed.slice(0, 8)}`,
      design,
      votesPerComparison: k,
      pairing: { kind: 'all' },
      seed,
      guidelines: { create: { version: 1, instructions: 'Pick the better answer.', design } },
    },
  });
  const importId = randomUUID();
  await prisma.import.create({ data: { id: importId, campaignId: campaign.id, format: 'native', status: options.importStatus ?? 'PUBLISHED' } });

  const raters: SeededRater[] = [];
  for (let i = 0; i < (options.raters ?? 3); i++) {
    const email = `rater-${randomUUID()}@juxta.test`;
    const user = await prisma.user.create({ data: { email, name: `Rater ${i}`, role: 'RATER' } });
    await prisma.campaignMember.create({ data: { campaignId: campaign.id, userId: user.id } });
    raters.push({ id: user.id, email });
  }

  // Bulk inserts, so a test can seed thousands of comparisons quickly on PGlite too.
  const prompts = options.prompts.map((prompt, index) => ({ ...prompt, key: prompt.key ?? `prompt-${index}-${randomUUID()}` }));
  const promptRows = await prisma.prompt.createManyAndReturn({
    select: { id: true, key: true },
    data: prompts.map((prompt) => ({ campaignId: campaign.id, key: prompt.key, context: prompt.context, importId })),
  });
  const promptId = new Map(promptRows.map((row) => [row.key, row.id]));
  const responseRows = await prisma.response.createManyAndReturn({
    select: { id: true, promptId: true, model: true },
    data: prompts.flatMap((prompt) => prompt.responses.map((response) => ({ campaignId: campaign.id, promptId: promptId.get(prompt.key)!, importId, key: `model:${response.model}#0`, ...response }))),
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
      campaignId: campaign.id,
      promptId: c.promptId,
      responseAId: c.responseAId,
      responseBId: c.responseBId,
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
  return { id: campaign.id, seed, importId, raters, comparisons };
}

/** Assignments and their judgments, as the rater loop would have written them (bulk inserts). */
export async function addJudgments(app: FastifyInstance, campaign: SeededCampaign, judgments: SeedJudgment[]): Promise<number[]> {
  const { prisma } = app.ctx.db;
  const rows = judgments.map((judgment) => ({ judgment, assignmentId: randomUUID(), createdAt: judgment.createdAt ?? new Date(), timeMs: judgment.timeMs ?? 4200 }));
  await prisma.assignment.createMany({
    data: rows.map(({ judgment, assignmentId, createdAt, timeMs }) => ({
      id: assignmentId,
      campaignId: campaign.id,
      comparisonId: judgment.comparison.id,
      raterId: judgment.rater.id,
      leftIsA: judgment.leftIsA ?? true,
      guidelineVersion: judgment.guidelineVersion ?? 1,
      status: 'SUBMITTED' as const,
      issuedAt: new Date(createdAt.getTime() - timeMs),
      expiresAt: new Date(createdAt.getTime() + 600_000),
      closedAt: createdAt,
    })),
  });
  const created = await prisma.judgment.createManyAndReturn({
    select: { id: true, assignmentId: true },
    data: rows.map(({ judgment, assignmentId, createdAt, timeMs }) => ({
      assignmentId,
      activeAssignmentId: judgment.undoneAt ? null : assignmentId,
      campaignId: campaign.id,
      comparisonId: judgment.comparison.id,
      raterId: judgment.rater.id,
      choice: judgment.choice,
      leftIsA: judgment.leftIsA ?? true,
      strength: judgment.strength ?? null,
      criteria: judgment.criteria ?? undefined,
      rationale: judgment.rationale ?? null,
      timeMs,
      idempotencyKey: randomUUID(),
      guidelineVersion: judgment.guidelineVersion ?? 1,
      isGold: judgment.comparison.isGold,
      createdAt,
      undoneAt: judgment.undoneAt ?? null,
    })),
  });
  const idOf = new Map(created.map((row) => [row.assignmentId, row.id]));
  return rows.map((row) => idOf.get(row.assignmentId)!);
}

export async function addJudgment(app: FastifyInstance, campaign: SeededCampaign, judgment: SeedJudgment): Promise<number> {
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

export interface DownloadedExport {
  status: number;
  headers: Record<string, string>;
  /** The body exactly as sent. */
  text: string;
  /** Each JSONL line parsed (empty for an error reply). */
  lines: unknown[];
}

/** GET an export path through HTTP as `user` (session) and keep the body byte for byte. */
export async function download(app: FastifyInstance, user: { session: string } | null, path: string, bearer?: string): Promise<DownloadedExport> {
  const test = client(app, user as TestUser | null, bearer)
    .get(path)
    .buffer(true)
    .parse((res, done) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => done(null, text));
    });
  const res = await test;
  const text = res.body as string;
  const ok = res.status === 200 && String(res.headers['content-type']).startsWith('application/x-ndjson');
  return {
    status: res.status,
    headers: res.headers as Record<string, string>,
    text,
    lines: ok ? text.split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as unknown) : [],
  };
}

/** The export URL of a campaign with these query options. */
export function exportPath(campaignId: string, query: Record<string, string>, endpoint: '' | '/count' | '/card' = ''): string {
  return `/api/campaigns/${campaignId}/export${endpoint}?${new URLSearchParams(query)}`;
}
