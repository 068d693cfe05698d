// GET /api/campaigns/:id/export/card: the dataset card (README.md) of the export the same query gives.
import { renderDatasetCard } from '../../domain/export/card';
import type { ExportOptions } from '../../domain/export/options';
import { ZTaskTypeSchema, type TTaskDesign } from '../../contract/campaign';
import type { ServiceContext } from '../context';
import { exportAgreement } from './export-agreement';
import { exportPages, newTally, type ExportTally } from './export-lines';
import { prepareExport } from './prepare-export';

function scaleText(design: TTaskDesign): string {
  const { scale } = design;
  const answers = ['binary', ...(scale.allowTie ? ['tie'] : []), ...(scale.allowBothBad ? ['both-bad'] : [])].join(' + ');
  const levels = scale.strengthLevels.length;
  return levels > 0 ? `${answers}, ${levels} strength levels (${scale.strengthLevels.join(' / ')})` : answers;
}

function surplusNote(tally: ExportTally, votesPerComparison: number): string {
  return (
    '\n## Surplus judgments\n\n' +
    `Each comparison counts only its k earliest counted judgments (k = its target, ${votesPerComparison} by default in this campaign); ` +
    `${tally.surplus} later judgment${tally.surplus === 1 ? '' : 's'} beyond k ${tally.surplus === 1 ? 'was' : 'were'} left out of the aggregation.\n`
  );
}

/** K of a ranking campaign's design, null for a pairwise one. */
function rankingSizeOf(design: unknown): number | null {
  const task = ZTaskTypeSchema.safeParse((design as { task?: unknown } | null)?.task ?? { type: 'pairwise' });
  return task.success && task.data.type === 'ranking' ? task.data.size : null;
}

export async function renderExportCard(ctx: ServiceContext, campaignId: string, options: ExportOptions): Promise<{ markdown: string; asOf: Date }> {
  const plan = await prepareExport(ctx, campaignId, options);
  const tally = newTally();
  // Reading every page is what fills the tally; the lines themselves are not needed here.
  for await (const _lines of exportPages(ctx, plan, tally)) continue;
  const { campaign, design } = plan;
  const markdown = renderDatasetCard({
    campaign: { id: campaign.id, name: campaign.name },
    license: 'other',
    language: [],
    fileName: plan.fileName,
    options: plan.options,
    asOf: plan.asOf,
    url: plan.url,
    counts: {
      lines: tally.lines,
      comparisons: tally.comparisons.size,
      judgments: tally.judgments,
      raters: tally.raters.size,
      dropped: tally.dropped,
    },
    models: [...tally.models].sort(),
    generators: [...tally.generators.values()]
      .map(({ endpoint, model, params }) => ({ endpoint, model, params }))
      .sort((x, y) => x.endpoint.localeCompare(y.endpoint) || JSON.stringify(x).localeCompare(JSON.stringify(y))),
    taskDesign: {
      scale: scaleText(design),
      maxStrength: plan.maxStrength,
      criteria: design.criteria.map((criterion) => criterion.name),
      votesPerComparison: campaign.votesPerComparison,
      guidelineVersion: [...tally.guidelineVersions].sort((a, b) => a - b).join(', ') || null,
      rankingSize: rankingSizeOf(campaign.design),
    },
    agreement: exportAgreement(tally.agreement, campaign.votesPerComparison),
  });
  return { markdown: options.format === 'raw' ? markdown : markdown + surplusNote(tally, campaign.votesPerComparison), asOf: plan.asOf };
}
