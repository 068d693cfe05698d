// Test factory: a campaign (seed, guideline v1) with one published import of prompts, responses by
// several models and all their pairs as comparisons, written straight through Prisma. Unique values,
// so test files and benchmarks can share a database.
import { randomUUID } from 'node:crypto';
import { ZCampaignDesignSchema, type TTaskDesign } from '../../server/contract/campaign';
import type { PrismaClient } from '../../server/db/database';

export interface SeedOptions {
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
  status?: 'DRAFT' | 'ACTIVE' | 'PAUSED' | 'ARCHIVED';
  importStatus?: 'RUNNING' | 'PUBLISHED' | 'FAILED';
  /** Add to an existing campaign (a second import) instead of making one. */
  campaignId?: string;
  /** A ranking campaign (task size = models): each prompt is one ranking task of all its responses instead of all pairs. */
  ranking?: boolean;
  /** Active pair selection, and its control share (default 0.2). */
  selection?: 'uniform' | 'active';
  controlShare?: number;
}

export interface SeededCampaign {
  campaignId: string;
  importId: string;
  models: string[];
  promptIds: number[];
  responseIds: number[];
  comparisonIds: number[];
  goldIds: number[];
}

export async function seedComparisons(prisma: PrismaClient, o: SeedOptions = {}): Promise<SeededCampaign> {
  const tag = randomUUID().slice(0, 8);
  const size = o.models ?? 3;
  const design = ZCampaignDesignSchema.parse({ ...(o.ranking ? { task: { type: 'ranking', size } } : {}), ...o.design });
  const campaignId =
    o.campaignId ??
    (
      await prisma.campaign.create({
        data: {
          name: `Campaign ${tag}`,
          status: o.status ?? 'ACTIVE',
          design,
          pairing: { kind: 'all' },
          votesPerComparison: o.votes ?? 3,
          goldRate: o.goldRate ?? 0,
          maxJudgmentsPerRater: o.maxJudgmentsPerRater ?? null,
          leaseSeconds: o.leaseSeconds ?? 600,
          selection: o.selection ?? 'uniform',
          controlShare: o.controlShare ?? 0.2,
          seed: randomUUID(),
          guidelines: { create: { version: 1, instructions: 'Pick the more helpful answer.', design } },
        },
      })
    ).id;
  const importId = randomUUID();
  await prisma.import.create({ data: { id: importId, campaignId, format: 'native', status: o.importStatus ?? 'PUBLISHED' } });
  const models = Array.from({ length: o.models ?? 3 }, (_, i) => `model-${tag}-${i}`);
  const prompts = await prisma.prompt.createManyAndReturn({
    data: Array.from({ length: o.prompts ?? 4 }, (_, i) => ({
      campaignId,
      importId,
      key: `${tag}-${i}`,
      context: [{ role: 'user', content: `Question ${i}: how do I sort a list?` }],
    })),
    select: { id: true },
  });
  const responses = await prisma.response.createManyAndReturn({
    data: prompts.flatMap((p, i) => models.map((model, m) => ({ campaignId, importId, promptId: p.id, key: `model:${model}#0`, model, content: `Reply ${m} to question ${i}.` }))),
    select: { id: true, promptId: true },
  });
  const pairs = prompts.flatMap((p) => {
    const rs = responses.filter((r) => r.promptId === p.id);
    // A ranking task: every response of the prompt in a slot (A and B are slots 0 and 1).
    if (o.ranking) return [{ promptId: p.id, responseAId: rs[0]!.id, responseBId: rs[1]!.id, slots: rs.map((r) => r.id) }];
    return rs.flatMap((a, i) => rs.slice(i + 1).map((b) => ({ promptId: p.id, responseAId: a.id, responseBId: b.id })));
  });
  const gold = o.gold ?? 0;
  const comparisons = await prisma.comparison.createManyAndReturn({
    data: pairs.map((pair, i) => ({
      ...pair,
      campaignId,
      importId,
      isGold: i < gold,
      target: i < gold ? 0 : (o.votes ?? 3),
      goldChoice: i < gold ? ('A' as const) : null,
      goldRanking: i < gold && o.ranking ? Array.from({ length: size }, (_, slot) => [slot]) : undefined,
    })),
    select: { id: true, isGold: true },
  });
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
