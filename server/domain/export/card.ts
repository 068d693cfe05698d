// The dataset card of an export: Hugging Face YAML front matter and a markdown account of how the file was made.

import { stringify } from 'yaml';
import type { DropReason } from './aggregate';
import { AGGREGATION_RULE_VERSION } from './aggregate';
import type { ResolvedExportOptions } from './options';
import { canonicalExportQuery } from './options';
import { RANKING_RULE_VERSION } from './ranking';
import { PLAIN_PROMPT_CONVENTION, TRANSCRIPT_CONVENTION } from './transcript';
import type { ExportFormat } from './types';

export interface DatasetCardInput {
  campaign: { id: string; name: string };
  /** A Hugging Face licence id (https://huggingface.co/docs/hub/repositories-licenses), e.g. cc-by-4.0 or other. */
  license: string;
  /** ISO 639-1 codes of the prompts' languages; may be empty when unknown. */
  language: string[];
  /** The file name the card's `configs` points at, e.g. support-bot-trl-train.jsonl. */
  fileName: string;
  options: ResolvedExportOptions;
  /** The asOf the export ran with (the request's, or the time it started). */
  asOf: Date;
  /** canonicalExportUrl(...) of this export. */
  url: string;
  counts: {
    lines: number;
    comparisons: number;
    judgments: number;
    raters: number;
    /** Comparisons the aggregation rule left out, by reason (pair formats). */
    dropped: Partial<Record<DropReason, number>>;
  };
  models: string[];
  /** The endpoints, model ids and parameters that generated responses in this file (none: all were imported). */
  generators: { endpoint: string; model: string; params: Record<string, unknown> }[];
  taskDesign: {
    /** e.g. "binary + tie + both-bad, 4 strength levels" */
    scale: string;
    maxStrength: number | null;
    criteria: string[];
    votesPerComparison: number;
    guidelineVersion: string | null;
    /** K of a ranking campaign (its tasks rank K responses); null for a pairwise one. */
    rankingSize: number | null;
  };
  /** Agreement statistics computed by the caller, e.g. { krippendorffAlpha: 0.61 }; null when undefined. */
  agreement: Record<string, number | null>;
}

const FORMAT_TAGS: Record<ExportFormat, string[]> = {
  raw: ['human-feedback', 'pairwise-comparison'],
  trl: ['trl', 'preference', 'reward-modeling', 'dpo'],
  'trl-conversational': ['trl', 'preference', 'reward-modeling', 'dpo'],
  kto: ['trl', 'unpaired-preference', 'kto'],
  'kto-conversational': ['trl', 'unpaired-preference', 'kto'],
  'hh-rlhf': ['preference', 'reward-modeling', 'hh-rlhf'],
  'openai-dpo': ['preference', 'dpo', 'openai'],
  ranking: ['preference', 'ranking', 'reward-modeling'],
};

const FORMAT_DESCRIPTIONS: Record<ExportFormat, string> = {
  raw: 'one line per judgment, counted or not, with both responses, their models and sides, and the rater pseudonym',
  trl: 'TRL preference, standard (string) form: one line per comparison',
  'trl-conversational': 'TRL preference, conversational (message list) form: one line per comparison',
  kto: 'TRL unpaired preference (KTO), standard form: a chosen line (label true) and a rejected line (label false) per comparison',
  'kto-conversational': 'TRL unpaired preference (KTO), conversational form: a chosen line (label true) and a rejected line (label false) per comparison',
  'hh-rlhf': 'Anthropic HH-RLHF transcripts: {chosen, rejected} per comparison',
  'openai-dpo': "OpenAI DPO fine-tuning lines: input.messages, preferred_output, non_preferred_output",
  ranking: 'one line per ranking task: {group_id, prompt, responses, models, ranking, ties, scores, judgments, all_bad}, the raters\' rankings aggregated into one',
};

const STRING_FORMATS: readonly ExportFormat[] = ['trl', 'kto', 'hh-rlhf'];

/** Hugging Face's size_categories buckets. */
function sizeCategory(lines: number): string {
  const bounds = ['1K', '10K', '100K', '1M', '10M', '100M', '1B'];
  const index = bounds.findIndex((_, i) => lines < 1000 * 10 ** i);
  if (index === 0) return 'n<1K';
  if (index === -1) return 'n>1B';
  return `${bounds[index - 1]}<n<${bounds[index]}`;
}

function cell(value: string | number | null): string {
  if (value === null) return '—';
  return String(value).replaceAll('|', '\\|').replaceAll('\n', ' ');
}

function table(header: [string, string], rows: [string, string | number | null][]): string {
  const lines = [`| ${header[0]} | ${header[1]} |`, '| --- | --- |'];
  for (const [name, value] of rows) lines.push(`| ${cell(name)} | ${cell(value)} |`);
  return lines.join('\n');
}

function frontMatter(input: DatasetCardInput): string {
  const split = input.options.split === 'test' ? 'test' : 'train';
  const metadata = {
    pretty_name: `${input.campaign.name} (${input.options.format})`,
    license: input.license,
    ...(input.language.length > 0 ? { language: input.language } : {}),
    task_categories: ['text-generation'],
    tags: ['juxta', ...FORMAT_TAGS[input.options.format]],
    size_categories: [sizeCategory(input.counts.lines)],
    configs: [{ config_name: 'default', data_files: [{ split, path: input.fileName }] }],
  };
  return `---\n${stringify(metadata)}---\n`;
}

/** How a ranking campaign's tasks became this file's lines (pair formats, KTO, ranking). */
function rankingTasksSection(input: DatasetCardInput): string[] {
  const { format, rankingPairs } = input.options;
  if (input.taskDesign.rankingSize === null || format === 'raw' || format === 'ranking') return [];
  const rule = `\`${RANKING_RULE_VERSION}\` (Borda count, documented in Juxta's \`server/domain/export/ranking.ts\`)`;
  if (format === 'kto' || format === 'kto-conversational') {
    return [
      '',
      `Ranking tasks (K = ${input.taskDesign.rankingSize}): the raters' rankings of a task are aggregated into one by rule ${rule}; ` +
        'the responses of its top group are written desirable (label true) and those of its bottom group undesirable (label false), ' +
        'the others not at all. Lines of one task share `group_id`.',
    ];
  }
  const pairs = { all: 'all C(K,2) pairs', 'best-vs-each': 'the top group of the aggregated ranking against every other response', adjacent: 'each response against those of the next group of the aggregated ranking' }[rankingPairs];
  return [
    '',
    `Ranking tasks (K = ${input.taskDesign.rankingSize}): each rater's ranking is read as its pairs (a tie as a tie), and each pair's ` +
      `judgments are aggregated by the rule above like a comparison's. Pairs written: ${pairs} (\`rankingPairs=${rankingPairs}\`; ` +
      `the aggregated ranking is rule ${rule}). Lines from one task share \`group_id\` (the task's id), so a trainer can batch them together.`,
  ];
}

function aggregationSection(input: DatasetCardInput): string {
  const { aggregation, margin } = input.options;
  if (aggregation === null) return 'None: `raw` writes every judgment, including undone ones and those of excluded raters, each marked.';
  const dropped = Object.entries(input.counts.dropped).map(([reason, count]): [string, number] => [reason, count]);
  if (input.options.format === 'ranking') {
    return [
      `Rule \`${RANKING_RULE_VERSION}\` (documented in Juxta's \`server/domain/export/ranking.ts\`): each response scores, in each counted ranking, ` +
        'the number of responses it beats plus half the number it ties with (Borda count); the line\'s `ranking` orders the responses by their summed ' +
        'scores, equal scores forming one tied group (`ties`). A two-response prompt is a ranking of two. With:',
      '',
      table(
        ['option', 'value'],
        [
          ['minimum judgments', aggregation.minJudgments],
          ['criterion', aggregation.criterion ?? 'overall'],
        ],
      ),
      '',
      dropped.length > 0 ? table(['tasks dropped because', 'count'], dropped) : 'No task was dropped.',
    ].join('\n');
  }
  return [
    `Rule \`${AGGREGATION_RULE_VERSION}\` (documented in Juxta's \`server/domain/export/aggregate.ts\`), with:`,
    '',
    table(
      ['option', 'value'],
      [
        ['method', aggregation.method],
        ['minimum judgments', aggregation.minJudgments],
        ['minimum agreement', aggregation.minAgreement],
        ['ties', aggregation.ties],
        ['both bad', aggregation.bothBad],
        ['criterion', aggregation.criterion ?? 'overall'],
        ['margin field', margin ? 'yes: mean strength of the winning judgments, scaled to 0..1' : 'no'],
      ],
    ),
    ...rankingTasksSection(input),
    '',
    dropped.length > 0 ? table(['comparisons dropped because', 'count'], dropped) : 'No comparison was dropped.',
  ].join('\n');
}

function contextSection(format: ExportFormat, prompt: ResolvedExportOptions['prompt']): string {
  if (prompt === 'plain') return `${PLAIN_PROMPT_CONVENTION}\n\n${TRANSCRIPT_CONVENTION}`;
  if (STRING_FORMATS.includes(format)) return TRANSCRIPT_CONVENTION;
  return 'The prompt context is kept as a list of `{role, content}` messages, turn by turn, text unchanged.';
}

/** Parameters with their keys sorted: the card's bytes must not depend on how the database ordered a JSON object's keys. */
function sortedJson(params: Record<string, unknown>): string {
  return JSON.stringify(Object.fromEntries(Object.entries(params).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))));
}

function generatorsSection(generators: DatasetCardInput['generators']): string[] {
  if (generators.length === 0) return [];
  const lines = ['| model label (endpoint) | model id | parameters |', '| --- | --- | --- |'];
  for (const g of generators) lines.push(`| ${cell(g.endpoint)} | ${cell(g.model)} | ${cell('`' + sortedJson(g.params) + '`')} |`);
  return [
    '## Generated responses',
    'Some responses were generated by Juxta from model endpoints (chat completions APIs). Each model label above is an ' +
      'endpoint; it sent this model id with these parameters (its defaults with the job\'s overrides). `raw` lines carry ' +
      'them per response, with the sample index and finish reason.',
    lines.join('\n'),
  ];
}

function splitSection(options: ResolvedExportOptions): string {
  const rule =
    'by prompt: a prompt is in test when the first 48 bits of sha256(JSON.stringify([campaign seed, prompt key])), ' +
    `read as a fraction, are below testShare (${options.testShare}), so a prompt is never on both sides and keeps its side as data grows.`;
  return options.split === 'all' ? `The whole campaign (no split). A split would be made ${rule}` : `\`${options.split}\`, ${rule}`;
}

/** The dataset card (README.md) of one export. */
export function renderDatasetCard(input: DatasetCardInput): string {
  const { options, counts, taskDesign } = input;
  const filters = [...canonicalExportQuery(options, input.asOf).entries()];
  const sections = [
    `# ${input.campaign.name}`,
    `Human preference data collected with Juxta in campaign \`${input.campaign.id}\`, exported as \`${options.format}\`: ${FORMAT_DESCRIPTIONS[options.format]}.`,
    '## Contents',
    table(
      ['', 'count'],
      [
        ['lines', counts.lines],
        ['comparisons', counts.comparisons],
        ['judgments', counts.judgments],
        ['raters', counts.raters],
      ],
    ),
    `Data as of \`${input.asOf.toISOString()}\`: judgments, undos and rater exclusions recorded later are not in this file.`,
    '## Models',
    input.models.map((model) => `- ${model}`).join('\n') || 'None.',
    ...generatorsSection(input.generators),
    '## Task design',
    table(
      ['', 'value'],
      [
        ['scale', taskDesign.scale],
        ['strength levels', taskDesign.maxStrength],
        ['criteria', taskDesign.criteria.join(', ') || 'overall'],
        ['judgments per comparison', taskDesign.votesPerComparison],
        ['guideline version', taskDesign.guidelineVersion],
      ],
    ),
    '## Aggregation',
    aggregationSection(input),
    '## Agreement',
    table(['statistic', 'value'], Object.entries(input.agreement)),
    '## Multi-turn context',
    contextSection(options.format, options.prompt),
    '## Split',
    splitSection(options),
    '## Filters',
    table(['option', 'value'], filters),
    '## Reproduce',
    'This URL (with an API token) returns this file byte for byte:',
    '```\n' + input.url + '\n```',
  ];
  return frontMatter(input) + '\n' + sections.join('\n\n') + '\n';
}
