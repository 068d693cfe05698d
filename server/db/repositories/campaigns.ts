// Campaigns, their guideline versions and their counts (rows of published imports only).
import { Prisma, type PrismaClient } from '../database';
import { publishedImportFilter } from './imports';

export type Db = PrismaClient | Prisma.TransactionClient;

export interface CampaignSettingsRow {
  name: string;
  status: 'DRAFT' | 'ACTIVE' | 'PAUSED' | 'ARCHIVED';
  instructions: string;
  contentWarning: string | null;
  contentWarningReviewed: boolean;
  design: unknown;
  votesPerComparison: number;
  pairing: unknown;
  goldRate: number;
  maxJudgmentsPerRater: number | null;
  leaseSeconds: number;
  /** The thresholds that differ from the defaults. */
  reviewThresholds: unknown;
}

export interface CampaignCountsRow {
  prompts: number;
  /** Published prompts with no published response yet (prompt-only imports, waiting for a generation job). */
  awaitingResponses: number;
  responses: number;
  models: number;
  comparisons: number;
  gold: number;
  referenceLabels: number;
  judgments: number;
}

const json = (value: unknown) => value as Prisma.InputJsonValue;

/** A new campaign with its guideline version 1. */
export function insertCampaign(db: Db, settings: CampaignSettingsRow & { seed: string }) {
  return db.campaign.create({
    data: {
      ...settings,
      design: json(settings.design),
      pairing: json(settings.pairing),
      reviewThresholds: json(settings.reviewThresholds),
      guidelineVersion: 1,
      guidelines: {
        create: { version: 1, instructions: settings.instructions, contentWarning: settings.contentWarning, design: json(settings.design) },
      },
    },
  });
}

export type CampaignRow = Awaited<ReturnType<typeof insertCampaign>>;

/** The campaign, unless it is being deleted (then it is gone as far as anyone can tell). */
export function findCampaign(db: Db, id: string) {
  return db.campaign.findFirst({ where: { id, deletingAt: null } });
}

/** Newest first; archived ones only when asked for. */
export function findCampaigns(db: Db, options: { includeArchived: boolean }) {
  return db.campaign.findMany({
    where: { deletingAt: null, ...(options.includeArchived ? {} : { status: { not: 'ARCHIVED' } }) },
    orderBy: { createdAt: 'desc' },
  });
}

/** True when the database has no campaign; inside a transaction it also holds a lock until commit, so that two instances starting together do not both seed. */
export async function lockWhileNoCampaign(tx: Prisma.TransactionClient): Promise<boolean> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('juxta:demo-seed'))`;
  return (await tx.campaign.count()) === 0;
}

/** The first admin account (the one created at first start), to make it a member of the demo campaign. */
export async function findFirstAdminId(db: Db): Promise<string | null> {
  return (await db.user.findFirst({ where: { role: 'ADMIN', active: true }, orderBy: { createdAt: 'asc' }, select: { id: true } }))?.id ?? null;
}

/** Takes the campaign's row lock until the transaction ends, so that edits (and import starts) queue up. */
export async function lockCampaign(tx: Prisma.TransactionClient, id: string): Promise<boolean> {
  const rows = await tx.$queryRaw<{ id: string }[]>`SELECT "id" FROM "Campaign" WHERE "id" = ${id}::uuid FOR UPDATE`;
  return rows.length === 1;
}

export async function hasJudgmentsUnderGuideline(db: Db, campaignId: string, version: number): Promise<boolean> {
  return (await db.judgment.findFirst({ where: { campaignId, guidelineVersion: version }, select: { id: true } })) !== null;
}

export async function upsertGuideline(
  db: Db,
  campaignId: string,
  version: number,
  guideline: { instructions: string; contentWarning: string | null; design: unknown },
): Promise<void> {
  const data = { instructions: guideline.instructions, contentWarning: guideline.contentWarning, design: json(guideline.design) };
  await db.campaignGuideline.upsert({
    where: { campaignId_version: { campaignId, version } },
    create: { campaignId, version, ...data },
    update: data,
  });
}

export function updateCampaignRow(db: Db, id: string, data: Partial<CampaignSettingsRow> & { guidelineVersion?: number }) {
  const { design, pairing, reviewThresholds, ...rest } = data;
  const jsonFields = Object.entries({ design, pairing, reviewThresholds }).filter(([, value]) => value !== undefined).map(([key, value]) => [key, json(value)]);
  return db.campaign.update({ where: { id }, data: { ...rest, ...Object.fromEntries(jsonFields) } });
}

/** Sets k on every non-gold comparison of the campaign; returns how many changed. */
export async function retargetComparisons(db: Db, campaignId: string, target: number): Promise<number> {
  return db.$executeRaw`
    UPDATE "Comparison" SET "target" = ${target}
    WHERE "campaignId" = ${campaignId}::uuid AND NOT "isGold" AND "target" <> ${target}`;
}

export async function addMember(db: Db, campaignId: string, userId: string): Promise<void> {
  await db.campaignMember.upsert({
    where: { campaignId_userId: { campaignId, userId } },
    create: { campaignId, userId },
    update: {},
  });
}

/** Counts per campaign, every row filtered on its import being published. */
export async function campaignCounts(db: Db, campaignIds: string[]): Promise<Map<string, CampaignCountsRow>> {
  if (campaignIds.length === 0) return new Map();
  const rows = await db.$queryRaw<(CampaignCountsRow & { id: string })[]>`
    SELECT c."id",
      (SELECT count(*)::int FROM "Prompt" x WHERE x."campaignId" = c."id" AND ${publishedImportFilter('x')}) AS "prompts",
      (SELECT count(*)::int FROM "Prompt" x WHERE x."campaignId" = c."id" AND ${publishedImportFilter('x')}
        AND NOT EXISTS (SELECT 1 FROM "Response" y WHERE y."promptId" = x."id" AND ${publishedImportFilter('y')})) AS "awaitingResponses",
      (SELECT count(*)::int FROM "Response" x WHERE x."campaignId" = c."id" AND ${publishedImportFilter('x')}) AS "responses",
      (SELECT count(DISTINCT x."model")::int FROM "Response" x WHERE x."campaignId" = c."id" AND ${publishedImportFilter('x')}) AS "models",
      (SELECT count(*)::int FROM "Comparison" x WHERE x."campaignId" = c."id" AND NOT x."isGold" AND ${publishedImportFilter('x')}) AS "comparisons",
      (SELECT count(*)::int FROM "Comparison" x WHERE x."campaignId" = c."id" AND x."isGold" AND ${publishedImportFilter('x')}) AS "gold",
      (SELECT count(*)::int FROM "Comparison" x WHERE x."campaignId" = c."id" AND x."referenceChoice" IS NOT NULL AND ${publishedImportFilter('x')}) AS "referenceLabels",
      (SELECT count(*)::int FROM "Judgment" x WHERE x."campaignId" = c."id" AND x."undoneAt" IS NULL) AS "judgments"
    FROM "Campaign" c
    WHERE c."id" = ANY(${campaignIds}::uuid[])`;
  return new Map(rows.map(({ id, ...counts }) => [id, counts]));
}
