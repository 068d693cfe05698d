// Test factory for stats and exclusion tests: a campaign with published comparisons, raters, assignments
// and judgments inserted straight through Prisma, every value unique to the call.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { TTaskDesign } from '../../server/contract/campaign';

export type SeedChoice = 'A' | 'B' | 'TIE' | 'BOTH_BAD';

export interface SeedComparison {
  modelA: string;
  modelB: string;
  gold?: SeedChoice;
  contentA?: string;
  contentB?: string;
}

export interface SeedJudgment {
  /** Index into `comparisons` and `raters`. */
  comparison: number;
  rater: number;
  choice: SeedChoice;
  strength?: number;
  criteria?: Record<string, { choice: SeedChoice; strength?: number }>;
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
  design?: Partial<TTaskDesign>;
  comparisons: SeedComparison[];
  /** Number of raters (members of the campaign), or their names. */
  raters: number | string[];
  judgments: SeedJudgment[];
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

const DEFAULT_DESIGN: TTaskDesign = {
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
  const design = { ...DEFAULT_DESIGN, ...spec.design };
  const campaignId =
    spec.campaignId ??
    (
      await prisma.campaign.create({
        data: {
          name: `Stats ${tag}`,
          design,
          pairing: { kind: 'all' },
          votesPerComparison: k,
          seed: `seed-${tag}`,
          guidelines: { create: { version: 1, instructions: '', design } },
        },
      })
    ).id;
  const importId = randomUUID();
  await prisma.import.create({ data: { id: importId, campaignId, format: 'native', status: spec.importStatus ?? 'PUBLISHED' } });

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
      data: {
        campaignId,
        importId,
        promptId: prompt.id,
        responseAId: a!.id,
        responseBId: b!.id,
        target: c.gold ? 0 : k,
        isGold: c.gold !== undefined,
        goldChoice: c.gold ?? null,
      },
    });
    comparisonIds.push(comparison.id);
  }

  const names = typeof spec.raters === 'number' ? Array.from({ length: spec.raters }, (_, i) => `Rater ${i + 1}`) : spec.raters;
  const raterIds: string[] = [];
  for (const name of names) {
    const user = await prisma.user.create({ data: { email: `${randomUUID()}@seed.test`, name, role: 'RATER' } });
    await prisma.campaignMember.create({ data: { campaignId, userId: user.id } });
    raterIds.push(user.id);
  }

  let clock = SEED_START.getTime();
  const assignments = [];
  const judgments = [];
  for (const j of spec.judgments) {
    const createdAt = j.createdAt ?? new Date((clock += 1000));
    const assignmentId = randomUUID();
    const comparisonId = comparisonIds[j.comparison]!;
    const raterId = raterIds[j.rater]!;
    const timeMs = j.timeMs ?? 30_000;
    const leftIsA = j.leftIsA ?? true;
    assignments.push({
      id: assignmentId,
      campaignId,
      comparisonId,
      raterId,
      leftIsA,
      guidelineVersion: 1,
      status: 'SUBMITTED' as const,
      issuedAt: new Date(createdAt.getTime() - timeMs),
      expiresAt: new Date(createdAt.getTime() + 600_000),
      closedAt: createdAt,
    });
    judgments.push({
      assignmentId,
      activeAssignmentId: j.undone ? null : assignmentId,
      campaignId,
      comparisonId,
      raterId,
      choice: j.choice,
      leftIsA,
      strength: j.strength ?? null,
      criteria: j.criteria ?? undefined,
      timeMs,
      idempotencyKey: `seed-${assignmentId}`,
      guidelineVersion: 1,
      isGold: spec.comparisons[j.comparison]!.gold !== undefined,
      createdAt,
      undoneAt: j.undone ? new Date(createdAt.getTime() + 5000) : null,
    });
  }
  await prisma.assignment.createMany({ data: assignments });
  await prisma.judgment.createMany({ data: judgments });
  await prisma.$executeRaw`
    UPDATE "Comparison" c SET "submitted" = (
      SELECT count(*) FROM "Judgment" j WHERE j."comparisonId" = c."id" AND j."undoneAt" IS NULL)
    WHERE c."importId" = ${importId}::uuid`;
  return { campaignId, comparisonIds, raterIds };
}

/** Judgments of every rater on every comparison with the same choice, as a starting point for specs. */
export function everyoneJudges(comparisons: number, raters: number, choose: (comparison: number, rater: number) => SeedChoice): SeedJudgment[] {
  return Array.from({ length: comparisons }, (_, c) => Array.from({ length: raters }, (_, r) => ({ comparison: c, rater: r, choice: choose(c, r) }))).flat();
}
