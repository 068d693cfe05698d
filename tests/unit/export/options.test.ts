// The export query string: defaults, clear refusals, and a canonical URL that parses back to itself.

import { describe, expect, it } from 'vitest';
import type { ExportOptions } from '../../../server/domain/export/options';
import { canonicalExportQuery, canonicalExportUrl, withCampaignDefaults, ZExportQuery } from '../../../server/domain/export/options';

/** The options as an export of a campaign with k = 3 runs them. */
const resolved = (query: Record<string, string>) => withCampaignDefaults(ZExportQuery.parse(query), 3);

const now = new Date('2025-03-04T05:06:07.089Z');

function messagesOf(query: Record<string, string>): string[] {
  const result = ZExportQuery.safeParse(query);
  expect(result.success).toBe(false);
  return result.error!.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

describe('ZExportQuery', () => {
  it('fills defaults for a pair format', () => {
    expect(ZExportQuery.parse({ format: 'trl' })).toEqual({
      format: 'trl',
      prompt: 'plain',
      asOf: null,
      from: null,
      to: null,
      excludeRaters: [],
      excludeGold: true,
      onlyComplete: false,
      models: [],
      pairs: [],
      guidelineVersion: null,
      split: 'all',
      testShare: 0.1,
      aggregation: { method: 'majority', minJudgments: null, minAgreement: 0, ties: 'drop', bothBad: 'drop', criterion: null, adjudication: 'ignore' },
      margin: false,
      rankingPairs: 'all',
    } satisfies ExportOptions);
  });

  it("takes the campaign's k as the minimum judgments unless the query gives one", () => {
    expect(resolved({ format: 'trl' }).aggregation?.minJudgments).toBe(3);
    expect(resolved({ format: 'trl', minJudgments: '1' }).aggregation?.minJudgments).toBe(1);
    expect(resolved({ format: 'raw' }).aggregation).toBeNull();
  });

  it('defaults trl to the plain prompt and trl-conversational to its message list; plain is for trl only', () => {
    expect(ZExportQuery.parse({ format: 'trl-conversational' }).prompt).toBe('explicit');
    expect(ZExportQuery.parse({ format: 'trl', prompt: 'explicit' }).prompt).toBe('explicit');
    expect(messagesOf({ format: 'trl-conversational', prompt: 'plain' })).toEqual([
      'prompt: prompt=plain applies to trl only; trl-conversational writes messages (explicit or implicit)',
    ]);
  });

  it('keeps gold in raw, which has no aggregation and no prompt style', () => {
    expect(ZExportQuery.parse({ format: 'raw' })).toMatchObject({ excludeGold: false, aggregation: null, prompt: null });
    expect(ZExportQuery.parse({ format: 'hh-rlhf' })).toMatchObject({ excludeGold: true, prompt: null });
  });

  it('parses lists sorted and without repeats, and model pairs in either order', () => {
    const options = ZExportQuery.parse({
      format: 'openai-dpo',
      excludeRaters: 'u3, u1,u3,,u2',
      models: 'b,a',
      pairs: 'z~a,a~z,m~b',
      excludeGold: '0',
      onlyComplete: 'true',
      asOf: '2025-01-31T12:00:00+01:00',
    });
    expect(options).toMatchObject({
      excludeRaters: ['u1', 'u2', 'u3'],
      models: ['a', 'b'],
      pairs: [['a', 'z'], ['b', 'm']],
      excludeGold: false,
      onlyComplete: true,
      asOf: new Date('2025-01-31T11:00:00Z'),
    });
  });

  it('refuses with messages that name the option and say what is allowed', () => {
    expect(messagesOf({})).toEqual([expect.stringMatching(/^format: format must be one of raw, trl, /)]);
    expect(messagesOf({ format: 'trl', exludeGold: 'true' })).toEqual([': unknown export option: exludeGold']);
    expect(messagesOf({ format: 'trl', asOf: 'yesterday' })).toEqual([expect.stringContaining('asOf must be an ISO 8601 timestamp')]);
    expect(messagesOf({ format: 'trl', testShare: '1' })).toEqual([expect.stringContaining('testShare must be between 0 and 1')]);
    expect(messagesOf({ format: 'trl', minJudgments: '1.5' })).toEqual(['minJudgments: minJudgments must be a whole number']);
    expect(messagesOf({ format: 'trl', margin: 'maybe' })).toEqual(['margin: margin must be true or false']);
    expect(messagesOf({ format: 'trl', pairs: 'a-b' })).toEqual([expect.stringContaining('joined by ~')]);
    expect(messagesOf({ format: 'trl', from: '2025-02-01T00:00:00Z', to: '2025-01-01T00:00:00Z' })).toEqual([
      'to: to must be later than from',
    ]);
  });

  it('refuses options that do not apply to the format instead of ignoring them', () => {
    expect(messagesOf({ format: 'hh-rlhf', prompt: 'implicit' })).toEqual([expect.stringMatching(/^prompt: .*fixed prompt shape/)]);
    expect(messagesOf({ format: 'kto', margin: 'true' })).toEqual([expect.stringMatching(/^margin: /)]);
    expect(messagesOf({ format: 'raw', minJudgments: '2', criterion: 'helpful' })).toHaveLength(2);
    expect(messagesOf({ format: 'trl', ties: 'keep' })).toEqual([expect.stringMatching(/^ties: trl lines say which response/)]);
    expect(messagesOf({ format: 'openai-dpo', bothBad: 'keep' })).toEqual([expect.stringMatching(/^bothBad: /)]);
    expect(ZExportQuery.parse({ format: 'kto', bothBad: 'keep', ties: 'keep' }).aggregation).toMatchObject({ ties: 'keep', bothBad: 'keep' });
  });
});

describe('canonicalExportQuery', () => {
  const requests: Record<string, string>[] = [
    { format: 'trl' },
    { format: 'raw', excludeRaters: 'u2,u1', from: '2025-01-01T00:00:00Z' },
    {
      format: 'trl-conversational',
      prompt: 'implicit',
      margin: 'yes',
      asOf: '2025-01-31T12:00:00.5+02:00',
      aggregation: 'strength-weighted',
      minAgreement: '0.66',
      criterion: 'harmless & helpful',
      pairs: 'gpt-4o~llama 3,claude~gpt-4o',
      split: 'test',
      testShare: '0.25',
      guidelineVersion: 'v3',
    },
  ];

  it.each(requests)('renders every applicable option, sorted, and parses back to the same options (%o)', (request) => {
    const options = resolved(request);
    const query = canonicalExportQuery(options, now);
    const keys = [...query.keys()];
    expect(keys).toEqual([...keys].sort());
    expect(query.get('asOf')).toBe((options.asOf ?? now).toISOString());
    const reparsed = resolved(Object.fromEntries(query));
    expect(reparsed).toEqual({ ...options, asOf: options.asOf ?? now });
    expect(canonicalExportQuery(reparsed, new Date(0)).toString()).toBe(query.toString());
  });

  it('writes defaults out so that a later change of default cannot change an old URL', () => {
    const query = canonicalExportQuery(resolved({ format: 'trl' }), now);
    expect(Object.fromEntries(query)).toEqual({
      aggregation: 'majority',
      asOf: '2025-03-04T05:06:07.089Z',
      bothBad: 'drop',
      excludeGold: 'true',
      format: 'trl',
      margin: 'false',
      minAgreement: '0',
      minJudgments: '3',
      onlyComplete: 'false',
      prompt: 'plain',
      split: 'all',
      testShare: '0.1',
      ties: 'drop',
    });
  });

  it('builds the URL under the public address', () => {
    const url = canonicalExportUrl('https://juxta.example.org/', 'c 1', resolved({ format: 'raw' }), now);
    expect(url).toBe(
      'https://juxta.example.org/api/campaigns/c%201/export?asOf=2025-03-04T05%3A06%3A07.089Z&excludeGold=false&format=raw&onlyComplete=false&split=all&testShare=0.1',
    );
  });
});
