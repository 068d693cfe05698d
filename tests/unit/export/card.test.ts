// The dataset card: Hugging Face front matter that parses, and a body that says how the file was made.

import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { DatasetCardInput } from '../../../server/domain/export/card';
import { renderDatasetCard } from '../../../server/domain/export/card';
import { canonicalExportUrl, withCampaignDefaults, ZExportQuery } from '../../../server/domain/export/options';
import { TRANSCRIPT_CONVENTION } from '../../../server/domain/export/transcript';

const asOf = new Date('2025-03-01T00:00:00.000Z');

function input(query: Record<string, string>, lines = 1234): DatasetCardInput {
  const options = withCampaignDefaults(ZExportQuery.parse(query), 3);
  return {
    campaign: { id: 'camp-1', name: 'Support bot: round 2' },
    license: 'cc-by-4.0',
    language: ['en'],
    fileName: 'support-bot-trl-test.jsonl',
    options,
    asOf,
    url: canonicalExportUrl('https://juxta.example.org', 'camp-1', options, asOf),
    counts: { lines, comparisons: 1300, judgments: 3900, raters: 12, dropped: { 'split-vote': 40, tie: 26 } },
    models: ['gpt-4o', 'llama|3'],
    generators: [],
    taskDesign: {
      scale: 'binary + tie, 4 strength levels',
      maxStrength: 4,
      criteria: ['helpful', 'harmless'],
      votesPerComparison: 3,
      guidelineVersion: 'v2',
      rankingSize: null,
    },
    agreement: { krippendorffAlpha: 0.61, fleissKappa: null },
  };
}

function split(card: string): { metadata: Record<string, unknown>; body: string } {
  const match = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(card);
  expect(match).not.toBeNull();
  return { metadata: parse(match![1]!) as Record<string, unknown>, body: match![2]! };
}

describe('renderDatasetCard', () => {
  it('starts with YAML front matter in Hugging Face dataset-card fields', () => {
    const { metadata } = split(renderDatasetCard(input({ format: 'trl', split: 'test' })));
    expect(metadata).toEqual({
      pretty_name: 'Support bot: round 2 (trl)',
      license: 'cc-by-4.0',
      language: ['en'],
      task_categories: ['text-generation'],
      tags: ['juxta', 'trl', 'preference', 'reward-modeling', 'dpo'],
      size_categories: ['1K<n<10K'],
      configs: [{ config_name: 'default', data_files: [{ split: 'test', path: 'support-bot-trl-test.jsonl' }] }],
    });
  });

  it.each([
    [0, 'n<1K'],
    [999, 'n<1K'],
    [1000, '1K<n<10K'],
    [99_999, '10K<n<100K'],
    [1_000_000, '1M<n<10M'],
    [2_000_000_000, 'n>1B'],
  ])('puts %i lines in size category %s', (lines, category) => {
    expect(split(renderDatasetCard(input({ format: 'raw' }, lines))).metadata.size_categories).toEqual([category]);
  });

  it('states counts, models, design, rule and version, filters, asOf, agreement and the reproducing URL', () => {
    const card = input({ format: 'trl', split: 'test', minAgreement: '0.6', margin: 'true' });
    const { body } = split(renderDatasetCard(card));
    for (const text of [
      '| lines | 1234 |',
      '| judgments | 3900 |',
      '- llama|3',
      '| scale | binary + tie, 4 strength levels |',
      '| criteria | helpful, harmless |',
      'Rule `juxta-agg-1`',
      '| minimum agreement | 0.6 |',
      '| split-vote | 40 |',
      '| krippendorffAlpha | 0.61 |',
      '| fleissKappa | — |',
      '| asOf | 2025-03-01T00:00:00.000Z |',
      '| excludeGold | true |',
      'Data as of `2025-03-01T00:00:00.000Z`',
      card.url,
      TRANSCRIPT_CONVENTION,
    ]) {
      expect(body).toContain(text);
    }
    expect(card.url).toContain('minAgreement=0.6');
  });

  it('describes message formats as kept turn by turn, and raw as not aggregated', () => {
    const conversational = renderDatasetCard(input({ format: 'trl-conversational' }));
    expect(conversational).not.toContain(TRANSCRIPT_CONVENTION);
    expect(conversational).toContain('list of `{role, content}` messages');
    const raw = renderDatasetCard(input({ format: 'raw' }));
    expect(raw).toContain('`raw` writes every judgment');
    expect(raw).toContain('A split would be made by prompt');
  });

  it('names the endpoint, model id and parameters behind generated responses, and has no such section without them', () => {
    expect(renderDatasetCard(input({ format: 'trl' }))).not.toContain('## Generated responses');
    const card = input({ format: 'trl' });
    card.generators = [{ endpoint: 'llama|3', model: 'meta-llama/Llama-3-8B', params: { temperature: 0.7, seed: 3 } }];
    const { body } = split(renderDatasetCard(card));
    expect(body).toContain('## Generated responses');
    expect(body).toContain('| llama\\|3 | meta-llama/Llama-3-8B | `{"seed":3,"temperature":0.7}` |');
  });

  it('escapes table cells so a model name cannot break a table', () => {
    const card = input({ format: 'raw' });
    card.taskDesign.scale = 'binary | tie';
    expect(renderDatasetCard(card)).toContain('| scale | binary \\| tie |');
  });
});
