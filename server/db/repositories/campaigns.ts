// Campaigns, their guideline versions and their counts (rows of published imports only).
import type { Prisma } from '../database';
import type { Db } from '../handle';
import { CAMPAIGN_SQL } from '../sql/campaigns';

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
  selection: 'uniform' | 'active';
  controlShare: number;
  settleMargin: number;
  judgmentBudget: number | null;
  pauseWhenAnswered: boolean;
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
  rankingTasks: number;
  judgments: number;
}

const json = (value: unknown) => value as Prisma.InputJsonValue;

/** A new campaign with its guideline version 1. */
export function insertCampaign(db: Db, settings: CampaignSettingsRow & { seed: string }) {
  return db.prisma.campaign.create({
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
  return db.prisma.campaign.findFirst({ where: { id, deletingAt: null } });
}

/** Newest first; archived ones only when asked for. */
export function findCampaigns(db: Db, options: { includeArchived: boolean }) {
  return db.prisma.campaign.findMany({
    where: { deletingAt: null, ...(options.includeArchived ? {} : { status: { not: 'ARCHIVED' } }) },
    orderBy: { createdAt: 'desc' },
  });
}

/** True when the database has no campaign; inside a transaction it also holds a lock until commit, so that two instances starting together do not both seed. */
export async function lockWhileNoCampaign(tx: Db): Promise<boolean> {
  await tx.sql.execute(CAMPAIGN_SQL.lockDemoSeed, []);
  return (await tx.prisma.campaign.count()) === 0;
}

/** The first admin account (the one created at first start), to make it a member of the demo campaign. */
export async function findFirstAdminId(db: Db): Promise<string | null> {
  return (await db.prisma.user.findFirst({ where: { role: 'ADMIN', active: true }, orderBy: { createdAt: 'asc' }, select: { id: true } }))?.id ?? null;
}

/** Takes the campaign's row lock until the transaction ends, so that edits (and import starts) queue up. */
export async function lockCampaign(tx: Db, id: string): Promise<boolean> {
  const rows = await tx.sql.query<{ id: string }>(CAMPAIGN_SQL.lock, [id]);
  return rows.length === 1;
}

export async function hasJudgmentsUnderGuideline(db: Db, campaignId: string, version: number): Promise<boolean> {
  return (await db.prisma.judgment.findFirst({ where: { campaignId, guidelineVersion: version }, select: { id: true } })) !== null;
}

/** Whether any import (an upload or a generation job's rows) was published into the campaign or is running. */
export async function hasImports(db: Db, campaignId: string): Promise<boolean> {
  return (await db.prisma.import.findFirst({ where: { campaignId, status: { not: 'FAILED' } }, select: { id: true } })) !== null;
}

export async function upsertGuideline(
  db: Db,
  campaignId: string,
  version: number,
  guideline: { instructions: string; contentWarning: string | null; design: unknown },
): Promise<void> {
  const data = { instructions: guideline.instructions, contentWarning: guideline.contentWarning, design: json(guideline.design) };
  await db.prisma.campaignGuideline.upsert({
    where: { campaignId_version: { campaignId, version } },
    create: { campaignId, version, ...data },
    update: data,
  });
}

export function updateCampaignRow(db: Db, id: string, data: Partial<CampaignSettingsRow> & { guidelineVersion?: number }) {
  const { design, pairing, reviewThresholds, ...rest } = data;
  const jsonFields = Object.entries({ design, pairing, reviewThresholds }).filter(([, value]) => value !== undefined).map(([key, value]) => [key, json(value)]);
  return db.prisma.campaign.update({ where: { id }, data: { ...rest, ...Object.fromEntries(jsonFields) } });
}

/** Sets k on every non-gold comparison of the campaign; returns how many changed. */
export async function retargetComparisons(db: Db, campaignId: string, target: number): Promise<number> {
  return db.sql.execute(CAMPAIGN_SQL.retarget, [campaignId, target]);
}

/** Counts per campaign, every row filtered on its import being published. */
export async function campaignCounts(db: Db, campaignIds: string[]): Promise<Map<string, CampaignCountsRow>> {
  if (campaignIds.length === 0) return new Map();
  const rows = await db.sql.query<CampaignCountsRow & { id: string }>(CAMPAIGN_SQL.counts, [campaignIds]);
  return new Map(rows.map(({ id, ...counts }) => [id, counts]));
}
