// Edits a campaign without re-interpreting old judgments: a guideline change after judgments starts a new
// guideline version (judgments record the version they were made under); a new k re-targets comparisons.
import { STATUS_CHANGES, ZPairingSchema, ZCampaignDesignSchema, type TCampaignDesign, type TUpdateCampaignRequest, type TUpdateCampaignResponse } from '../../contract/campaign';
import { campaignCounts, hasImports, hasJudgmentsUnderGuideline, lockCampaign, retargetComparisons, updateCampaignRow, upsertGuideline, type CampaignRow } from '../../db/repositories/campaigns';
import type { Db } from '../../db/handle';
import { canChangeStatus, missingForActive } from '../../domain/campaign-lifecycle';
import { AppError } from '../../errors';
import { recordAuditEvent, type AuditActor } from '../audit/record-audit-event';
import type { ServiceContext } from '../context';
import { requireCampaign, reviewThresholdOverrides, withCounts } from './campaign-view';

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** The fields the PATCH named, before and after; `campaign.status` when the status is all it changed. */
function describeChange(before: Record<string, unknown>, after: Record<string, unknown>, fields: string[]) {
  const changed = fields.filter((field) => !sameJson(before[field], after[field]));
  const pick = (row: Record<string, unknown>) => Object.fromEntries([...fields, 'guidelineVersion'].map((field) => [field, row[field] ?? null]));
  const action = changed.length === 1 && changed[0] === 'status' ? 'campaign.status' : 'campaign.update';
  return { action, before: pick(before), after: pick(after) };
}

export async function updateCampaign(ctx: ServiceContext, actor: AuditActor, id: string, patch: TUpdateCampaignRequest): Promise<TUpdateCampaignResponse> {
  const { row, notes } = await ctx.db.transaction(async (tx) => {
    await lockCampaign(tx, id);
    const current = await requireCampaign(tx, id);
    const notes: string[] = [];
    // Giving a content warning (a text, or null for none) answers the question unless the flag is sent too.
    const contentWarningReviewed = patch.contentWarningReviewed ?? (patch.contentWarning !== undefined ? true : current.contentWarningReviewed);
    if (patch.status && patch.status !== current.status) await checkStatusChange(tx, current, patch.status, contentWarningReviewed);
    const guideline = {
      instructions: patch.instructions ?? current.instructions,
      contentWarning: patch.contentWarning === undefined ? current.contentWarning : patch.contentWarning,
      design: patch.design ?? ZCampaignDesignSchema.parse(current.design),
    };
    await checkTaskTypeChange(tx, current, guideline.design);
    let version = current.guidelineVersion;
    const guidelineChanged =
      guideline.instructions !== current.instructions ||
      guideline.contentWarning !== current.contentWarning ||
      !sameJson(guideline.design, ZCampaignDesignSchema.parse(current.design));
    if (guidelineChanged) {
      if (await hasJudgmentsUnderGuideline(tx, id, version)) {
        version += 1;
        notes.push(
          `Raters already judged under guideline version ${version - 1}, so this change starts version ${version}; ` +
            'those judgments keep the version they were made under.',
        );
      }
      await upsertGuideline(tx, id, version, guideline);
    }
    const k = patch.votesPerComparison;
    if (k !== undefined && k !== current.votesPerComparison) {
      const changed = await retargetComparisons(tx, id, k);
      notes.push(
        `${changed} comparisons now want ${k} judgments each instead of ${current.votesPerComparison}; gold comparisons have no target. ` +
          'Comparisons that already have that many get no more; leases already given out still count when submitted.',
      );
    }
    if (patch.pairing && !sameJson(patch.pairing, ZPairingSchema.parse(current.pairing))) {
      notes.push('The new pairing strategy applies to later imports; existing comparisons stay as they are.');
    }
    const reviewThresholds = patch.reviewThresholds && reviewThresholdOverrides(patch.reviewThresholds);
    const updated = await updateCampaignRow(tx, id, { ...patch, contentWarningReviewed, reviewThresholds, guidelineVersion: version });
    await recordAuditEvent(ctx, tx, actor, { ...describeChange(current, updated, Object.keys(patch)), target: { type: 'campaign', id }, campaignId: id });
    return { row: updated, notes };
  });
  return { ...(await withCounts(ctx.db, row)), notes };
}

/**
 * The task type (pairs or rankings of K) decides how an import cuts a prompt's responses into tasks: once a
 * file was imported, another type would leave the campaign with tasks of two designs, so it is refused.
 */
async function checkTaskTypeChange(db: Db, current: CampaignRow, design: TCampaignDesign) {
  const before = ZCampaignDesignSchema.parse(current.design).task;
  if (sameJson(before, design.task) || !(await hasImports(db, current.id))) return;
  const describe = (t: TCampaignDesign['task']) => (t.type === 'ranking' ? `ranking ${t.size} responses` : 'pairwise');
  throw new AppError(
    'DESIGN_LOCKED',
    `The task type cannot change once a file was imported (it is ${describe(before)}); create a new campaign for ${describe(design.task)} tasks.`,
    { task: before },
  );
}

/** Refuses a change outside the lifecycle, and going Active while something raters need is missing. */
async function checkStatusChange(db: Db, current: CampaignRow, to: NonNullable<TUpdateCampaignRequest['status']>, contentWarningReviewed: boolean) {
  if (!canChangeStatus(current.status, to)) {
    const allowed = STATUS_CHANGES[current.status].map((s) => s.toLowerCase()).join(' or ');
    throw new AppError(
      'STATUS_CHANGE_NOT_ALLOWED',
      `A ${current.status.toLowerCase()} campaign cannot become ${to.toLowerCase()}; it can become ${allowed}.`,
      { from: current.status, to, allowed: STATUS_CHANGES[current.status] },
    );
  }
  if (to !== 'ACTIVE') return;
  const comparisons = (await campaignCounts(db, [current.id])).get(current.id)?.comparisons ?? 0;
  const missing = missingForActive({ comparisons, contentWarningReviewed });
  if (missing.length > 0) {
    throw new AppError('CAMPAIGN_NOT_READY', `The campaign cannot go active yet: ${missing.map((m) => m.message).join('; ')}.`, {
      missing: missing.map((m) => m.code),
    });
  }
}
