// Everything an export needs before its first byte: the campaign, the resolved options, the effective asOf,
// the rater exclusions as of then. Every request error (400/404) is raised here, never mid-stream.
import { ZTaskDesignSchema, type TTaskDesign } from '../../contract/campaign';
import { findExportCampaign, listAdjudicationsAsOf, listCampaignRaterIds, listRatersExcludedAsOf, type ExportCampaignRow, type ExportScope } from '../../db/repositories/exports';
import { canonicalExportUrl, withCampaignDefaults, type ExportOptions, type ResolvedExportOptions } from '../../domain/export/options';
import { splitOf } from '../../domain/export/split';
import { listComparisonsRemovedAsOf } from '../../db/repositories/review-actions';
import { AppError } from '../../errors';
import type { ServiceContext } from '../context';
import { pseudonymizer } from './rater-pseudonym';

/**
 * The default asOf trails the clock: a judgment's createdAt is taken when its transaction starts and becomes
 * visible when it commits, so an asOf of exactly now could miss a judgment stamped earlier that commits a
 * moment later, and the same URL would then give different bytes tomorrow.
 */
export const DEFAULT_AS_OF_LAG_MS = 1000;

export interface ExportPlan {
  campaign: ExportCampaignRow;
  design: TTaskDesign;
  /** Strength levels of the scale, or null when it has none. */
  maxStrength: number | null;
  /** The request's options with asOf and the campaign's defaults (minJudgments = k) filled in. */
  options: ResolvedExportOptions & { asOf: Date };
  asOf: Date;
  scope: ExportScope;
  pseudonym: (userId: string) => string;
  /** Whether a prompt belongs to the requested split. */
  inSplit: (promptKey: string) => boolean;
  fileName: string;
  /** The URL that reproduces this export byte for byte. */
  url: string;
}

function fileNameOf(campaignName: string, options: ExportOptions): string {
  const slug =
    campaignName
      .normalize('NFKD')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'campaign';
  return `${slug}-${options.format}${options.split === 'all' ? '' : `-${options.split}`}.jsonl`;
}

function resolveAsOf(ctx: ServiceContext, requested: Date | null): Date {
  const now = ctx.clock.now();
  if (requested === null) return new Date(now.getTime() - DEFAULT_AS_OF_LAG_MS);
  if (requested > now) {
    throw new AppError('VALIDATION_FAILED', 'asOf is in the future: data after now may still change; leave asOf out to export as of now.', {
      issues: [{ path: 'querystring.asOf', message: 'must not be in the future' }],
    });
  }
  return requested;
}

function parseGuidelineVersion(text: string | null): number | null {
  if (text === null) return null;
  if (!/^[1-9][0-9]{0,8}$/.test(text)) {
    throw new AppError('VALIDATION_FAILED', `guidelineVersion must be a guideline version number such as 1, not "${text}".`, {
      issues: [{ path: 'querystring.guidelineVersion', message: 'must be a positive whole number' }],
    });
  }
  return Number(text);
}

/** excludeRaters takes rater ids or the pseudonyms a raw export shows; anything else is a mistake worth a 400. */
async function resolveOmittedRaters(ctx: ServiceContext, campaignId: string, requested: string[], pseudonym: (id: string) => string): Promise<string[]> {
  if (requested.length === 0) return [];
  const byName = new Map<string, string>();
  for (const id of await listCampaignRaterIds(ctx.db, campaignId)) {
    byName.set(id, id);
    byName.set(pseudonym(id), id);
  }
  const unknown = requested.filter((name) => !byName.has(name.toLowerCase()));
  if (unknown.length > 0) {
    throw new AppError('VALIDATION_FAILED', `excludeRaters: ${unknown.join(', ')} is not a rater of this campaign; use rater ids or the pseudonyms of a raw export.`, {
      issues: unknown.map((name) => ({ path: 'querystring.excludeRaters', message: `unknown rater ${name}` })),
    });
  }
  return [...new Set(requested.map((name) => byName.get(name.toLowerCase())!))];
}

export async function prepareExport(ctx: ServiceContext, campaignId: string, requested: ExportOptions): Promise<ExportPlan> {
  const campaign = await findExportCampaign(ctx.db, campaignId);
  if (!campaign) throw new AppError('NOT_FOUND', 'No campaign has this id; check the link or list campaigns.');
  const asOf = resolveAsOf(ctx, requested.asOf);
  const options = { ...withCampaignDefaults(requested, campaign.votesPerComparison), asOf };
  const guidelineVersion = parseGuidelineVersion(options.guidelineVersion);
  const pseudonym = pseudonymizer(campaign.seed);
  const omittedRaters = await resolveOmittedRaters(ctx, campaignId, options.excludeRaters, pseudonym);
  const parsedDesign = ZTaskDesignSchema.safeParse(campaign.design);
  const design = parsedDesign.success ? parsedDesign.data : ZTaskDesignSchema.parse({});
  const levels = design.scale.strengthLevels.length;
  return {
    campaign,
    design,
    maxStrength: levels > 0 ? levels : null,
    options,
    asOf,
    scope: {
      campaignId,
      asOf,
      excludedAsOf: await listRatersExcludedAsOf(ctx.db, campaignId, asOf),
      removedAsOf: await listComparisonsRemovedAsOf(ctx.db, campaignId, asOf),
      adjudicatedAsOf: options.aggregation?.adjudication === 'prefer' ? await listAdjudicationsAsOf(ctx.db, campaignId, asOf) : new Map(),
      omittedRaters,
      from: options.from,
      to: options.to,
      excludeGold: options.excludeGold,
      onlyComplete: options.onlyComplete,
      models: options.models,
      pairs: options.pairs.map((pair) => pair.join('~')),
      guidelineVersion,
    },
    pseudonym,
    inSplit: options.split === 'all' ? () => true : (key) => splitOf(campaign.seed, key, options.testShare) === options.split,
    fileName: fileNameOf(campaign.name, options),
    url: canonicalExportUrl(ctx.config.publicUrl, campaignId, options, asOf),
  };
}
