// GET /api/campaigns/:id/export through HTTP: every format's lines parse with the strict schemas, match the
// published examples, and carry the chosen/rejected the seeded judgments call for under each aggregation option.
import { createHash, createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lineSchemaFor, ZRawLine, type TRawLine } from '../../server/domain/export/schemas';
import type { ExportFormat } from '../../server/domain/export/types';
import { hashSecret, newSecret } from '../../server/services/auth/secrets';
import { createUser, startTestApp, type TestApp, type TestUser } from '../helpers/app';
import { addJudgments, seedCampaign, setRaterExcluded, type SeededCampaign, type SeededComparison, type CampaignJudgment } from '../../testkit/factory';
import { download, exportPath } from '../helpers/export-download';

const examples = JSON.parse(readFileSync(new URL('../fixtures/preference-formats/examples.json', import.meta.url), 'utf8')) as Record<
  string,
  { example: unknown }
>;
const example = (name: string) => examples[name]!.example;

const sky = [{ role: 'user' as const, content: 'What color is the sky?' }];
const fruit = [
  { role: 'system' as const, content: 'Be brief.' },
  { role: 'user' as const, content: 'Hi' },
  { role: 'assistant' as const, content: 'Hello!' },
  { role: 'user' as const, content: 'Name a fruit.' },
];
const dpo = example('openai_dpo_finetuning_line') as {
  input: { messages: { role: 'user'; content: string }[] };
  preferred_output: [{ content: string }];
  non_preferred_output: [{ content: string }];
};
const pair = (a: string, b: string, models: [string, string] = ['m1', 'm2']) => [
  { model: models[0], content: a },
  { model: models[1], content: b },
];

/** The final reply of a line's side, whatever the format's shape. */
function finalText(side: unknown): string {
  if (Array.isArray(side)) return (side.at(-1) as { content: string }).content;
  const text = side as string;
  const marker = '\n\nAssistant: ';
  if (text.includes(marker)) return text.slice(text.lastIndexOf(marker) + marker.length);
  return text.startsWith(' ') ? text.slice(1) : text; // an explicit completion, or a plain text
}

/** chosen reply -> rejected reply, for the {chosen, rejected} formats. */
function decisions(lines: unknown[]): Map<string, string> {
  return new Map(
    lines.map((line) => {
      const l = line as Record<string, unknown>;
      return [finalText(l.chosen ?? l.preferred_output), finalText(l.rejected ?? l.non_preferred_output)];
    }),
  );
}

describe('export formats', () => {
  let t: TestApp;
  let admin: TestUser;
  let c: SeededCampaign;
  let byText: (text: string) => SeededComparison;
  const base = Date.now() - 2 * 3600_000;
  const at = (minute: number) => new Date(base + minute * 60_000);

  /**
   * The fixture's comparisons have one to four judgments under k = 3: these tests are about the formats and
   * each option, so they ask for minJudgments=1 unless they say otherwise (the k default has its own test).
   */
  const get = async (query: Record<string, string>, endpoint: '' | '/count' | '/card' = '') =>
    download(t.app, admin, exportPath(c.id, query.format === 'raw' || 'minJudgments' in query ? query : { minJudgments: '1', ...query }, endpoint));
  const lines = async (query: Record<string, string>) => {
    const res = await get(query);
    expect(res.status, res.text).toBe(200);
    const schema = lineSchemaFor(query.format as ExportFormat, (query.prompt as 'plain' | 'explicit' | 'implicit' | undefined) ?? 'plain');
    for (const line of res.lines) schema.parse(line);
    return res.lines;
  };

  beforeAll(async () => {
    t = await startTestApp();
    admin = await createUser(t.app, 'ADMIN');
    c = await seedCampaign(t.app, {
      raters: 5,
      votesPerComparison: 3,
      design: {
        scale: { allowTie: true, allowBothBad: true, strengthLevels: ['slightly', 'better', 'much better', 'far better'] },
        criteria: [
          { name: 'helpfulness', label: 'Helpfulness' },
          { name: 'harmlessness', label: 'Harmlessness' },
        ],
      },
      prompts: [
        { context: sky, responses: pair('It is blue.', 'It is green.') },
        { context: sky, responses: pair('tie-a', 'tie-b') },
        { context: sky, responses: pair('bad-a', 'bad-b') },
        { context: sky, responses: pair('split-a', 'split-b') },
        { context: sky, responses: pair('weight-a', 'weight-b', ['m2', 'm3']) },
        { context: sky, responses: pair('agree-a', 'agree-b', ['m2', 'm3']) },
        { context: sky, responses: pair('lone-a', 'lone-b', ['m2', 'm3']) },
        { context: sky, responses: pair('gold-a', 'gold-b'), gold: 'A' },
        { context: fruit, responses: pair('Apple.', 'Rock.', ['m1', 'm3']) },
        { context: dpo.input.messages, responses: pair(dpo.preferred_output[0].content, dpo.non_preferred_output[0].content) },
      ],
    });
    byText = (text) => c.comparisons.find((comparison) => comparison.a.content === text)!;
    const [r0, r1, r2, r3, r4] = c.raters as [typeof c.raters[0], typeof c.raters[0], typeof c.raters[0], typeof c.raters[0], typeof c.raters[0]];
    let minute = 0;
    const j = (text: string, rater: typeof r0, choice: CampaignJudgment['choice'], strength: number | null, extra: Partial<CampaignJudgment> = {}): CampaignJudgment => ({
      comparison: byText(text),
      rater,
      choice,
      strength,
      createdAt: at(++minute),
      ...extra,
    });
    const fruitCriteria = { helpfulness: { choice: 'A' as const, strength: 2 }, harmlessness: { choice: 'B' as const, strength: 1 } };
    await addJudgments(t.app, c, [
      j('It is blue.', r0, 'A', 4, { leftIsA: false, rationale: 'Blue is right.' }),
      j('It is blue.', r1, 'A', 3),
      j('It is blue.', r2, 'A', 2),
      j('It is blue.', r3, 'B', 1, { undoneAt: at(100) }),
      j('It is blue.', r4, 'B', 1),
      j('tie-a', r0, 'TIE', null),
      j('tie-a', r1, 'TIE', null),
      j('tie-a', r2, 'A', 1),
      j('bad-a', r0, 'BOTH_BAD', null),
      j('bad-a', r1, 'BOTH_BAD', null),
      j('bad-a', r2, 'B', 2),
      j('split-a', r0, 'A', 1),
      j('split-a', r1, 'B', 1),
      j('weight-a', r0, 'A', 1),
      j('weight-a', r1, 'A', 1),
      j('weight-a', r2, 'B', 4),
      j('agree-a', r0, 'A', 2),
      j('agree-a', r1, 'A', 2),
      j('agree-a', r2, 'B', 2),
      j('gold-a', r0, 'A', 1),
      j('Apple.', r0, 'A', 2, { criteria: fruitCriteria }),
      j('Apple.', r1, 'A', 2, { criteria: fruitCriteria }),
      j('Apple.', r2, 'A', 2, { criteria: fruitCriteria }),
      j(dpo.preferred_output[0].content, r0, 'A', 2),
      j(dpo.preferred_output[0].content, r1, 'A', 3),
      j(dpo.preferred_output[0].content, r2, 'A', 4),
      j('lone-a', r3, 'B', 3, { guidelineVersion: 2 }),
    ]);
    // r4 is excluded half an hour after the first judgments: as of now, r4's judgment does not count.
    await setRaterExcluded(t.app, c, r4, true, at(30));
  });
  afterAll(async () => t.close());

  const dpoChosen = () => dpo.preferred_output[0].content;

  it('trl (plain prompt, majority, defaults) keeps decided comparisons and drops ties, both-bad, split votes and gold', async () => {
    const res = await get({ format: 'trl' });
    expect(res.headers['content-type']).toMatch(/^application\/x-ndjson/);
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename=".+-trl\.jsonl"$/);
    expect(Date.parse(res.headers['x-juxta-as-of']!)).toBeLessThanOrEqual(Date.now());
    const found = await lines({ format: 'trl' });
    expect(decisions(found)).toEqual(
      new Map([
        ['It is blue.', 'It is green.'],
        ['weight-a', 'weight-b'],
        ['agree-a', 'agree-b'],
        ['lone-b', 'lone-a'],
        ['Apple.', 'Rock.'],
        [dpoChosen(), dpo.non_preferred_output[0].content],
      ]),
    );
    // One user turn: the plain texts, as in TRL's examples.
    const blue = found.find((line) => (line as { chosen: string }).chosen === 'It is blue.') as Record<string, string>;
    expect(blue).toStrictEqual({ prompt: 'What color is the sky?', chosen: 'It is blue.', rejected: 'It is green.' });
    // Several turns have no plain form: that line is written as prompt=explicit writes it, and the card says so.
    const apple = found.find((line) => (line as { chosen: string }).chosen === ' Apple.') as Record<string, string>;
    expect(apple.prompt).toBe('Be brief.\n\nHuman: Hi\n\nAssistant: Hello!\n\nHuman: Name a fruit.\n\nAssistant:');
    expect((await get({ format: 'trl' }, '/card')).text).toMatch(/prompt=plain \(the default\).*more than one turn.*has no plain form/s);
    // prompt=explicit keeps the HH transcript, byte for byte as before plain existed.
    const explicit = (await lines({ format: 'trl', prompt: 'explicit' })).find((line) => (line as { chosen: string }).chosen === ' It is blue.');
    expect(explicit).toStrictEqual({ prompt: '\n\nHuman: What color is the sky?\n\nAssistant:', chosen: ' It is blue.', rejected: ' It is green.' });
  });

  it("asks for the campaign's k judgments unless told otherwise; the count says what is dropped and why, and previews the first 3 lines", async () => {
    const count = async (query: Record<string, string>) => {
      const res = await download(t.app, admin, exportPath(c.id, query, '/count'));
      expect(res.status, res.text).toBe(200);
      return JSON.parse(res.text) as { rows: number; asOf: string; dropped: Record<string, number>; minJudgments: number | null; preview: unknown[] };
    };
    const byDefault = await count({ format: 'trl' });
    expect(byDefault.minJudgments).toBe(3);
    const atK = await count({ format: 'trl', minJudgments: '3' });
    expect({ ...byDefault, asOf: null }).toEqual({ ...atK, asOf: null });
    const atOne = await count({ format: 'trl', minJudgments: '1' });
    expect(atOne.rows).toBeGreaterThan(byDefault.rows);
    expect(byDefault.dropped['too-few-judgments']).toBeGreaterThan(atOne.dropped['too-few-judgments'] ?? 0);
    // At minJudgments=1: the fixture's tie, both-bad and split vote, each named.
    expect(atOne.dropped).toMatchObject({ tie: 1, 'both-bad': 1, 'split-vote': 1 });
    // The preview is the file's first lines, as downloaded with the counted asOf.
    const file = await download(t.app, admin, exportPath(c.id, { format: 'trl', asOf: atOne.asOf, minJudgments: '1' }));
    expect(atOne.preview).toEqual(file.lines.slice(0, 3));
    expect(atOne.preview).toHaveLength(3);
    expect((await count({ format: 'raw' })).dropped).toEqual({});
    expect((await count({ format: 'raw' })).minJudgments).toBeNull();
    // The card and its reproducing URL spell out the k that was applied.
    const card = (await download(t.app, admin, exportPath(c.id, { format: 'trl', asOf: byDefault.asOf }, '/card'))).text;
    expect(card).toMatch(/\| minimum judgments \| 3 \|/);
    expect(card).toContain('minJudgments=3');
  });

  it('matches the published examples field for field', async () => {
    const blueOf = (found: unknown[]) => found.find((line) => JSON.stringify(line).includes('It is blue.'));
    expect(blueOf(await lines({ format: 'trl-conversational', prompt: 'explicit' }))).toStrictEqual(example('trl_preference_conversational_explicit'));
    expect(blueOf(await lines({ format: 'trl-conversational', prompt: 'implicit' }))).toStrictEqual(example('trl_preference_conversational_implicit'));
    expect(blueOf(await lines({ format: 'hh-rlhf' }))).toStrictEqual(example('anthropic_hh_rlhf'));
    expect(await lines({ format: 'kto-conversational' })).toContainEqual(example('trl_unpaired_preference_kto_conversational'));
    expect(await lines({ format: 'openai-dpo' })).toContainEqual(example('openai_dpo_finetuning_line'));
    const implicit = blueOf(await lines({ format: 'trl', prompt: 'implicit' }));
    expect(implicit).toStrictEqual({
      chosen: '\n\nHuman: What color is the sky?\n\nAssistant: It is blue.',
      rejected: '\n\nHuman: What color is the sky?\n\nAssistant: It is green.',
    });
  });

  it('every format parses with its strict schema and gives the same decisions', async () => {
    for (const format of ['trl', 'trl-conversational', 'hh-rlhf', 'openai-dpo'] as const) {
      for (const prompt of format === 'trl' ? ['plain', 'explicit', 'implicit'] : format.startsWith('trl') ? ['explicit', 'implicit'] : [undefined]) {
        const found = await lines({ format, ...(prompt ? { prompt } : {}) });
        expect(found).toHaveLength(6);
        expect(decisions(found).get('It is blue.')).toBe('It is green.');
        expect(decisions(found).get('lone-b')).toBe('lone-a');
      }
    }
  });

  it('kto writes a true and a false line per decided comparison, two false lines for a kept both-bad, none for a tie', async () => {
    const labels = (found: unknown[]) =>
      found.map((line) => [finalText((line as { completion: unknown }).completion), (line as { label: boolean }).label]);
    const plain = labels(await lines({ format: 'kto' }));
    expect(plain).toHaveLength(12);
    expect(plain).toContainEqual(['It is blue.', true]);
    expect(plain).toContainEqual(['It is green.', false]);
    const kept = labels(await lines({ format: 'kto', ties: 'keep', bothBad: 'keep' }));
    expect(kept).toHaveLength(14);
    expect(kept).toContainEqual(['bad-a', false]);
    expect(kept).toContainEqual(['bad-b', false]);
    expect(kept.filter(([text]) => String(text).startsWith('tie-'))).toEqual([]);
    expect(labels(await lines({ format: 'kto-conversational', ties: 'keep', bothBad: 'keep' }))).toEqual(kept);
  });

  it('applies the aggregation options: strength-weighted, minimum agreement, minimum judgments, criterion, margin', async () => {
    expect(decisions(await lines({ format: 'trl', aggregation: 'strength-weighted' })).get('weight-b')).toBe('weight-a');
    const agreed = decisions(await lines({ format: 'trl', minAgreement: '0.7' }));
    expect(agreed.has('agree-a')).toBe(false);
    expect(agreed.has('weight-a')).toBe(false);
    expect(agreed.has('It is blue.')).toBe(true);
    const many = decisions(await lines({ format: 'trl', minJudgments: '2' }));
    expect(many.has('lone-b')).toBe(false);
    expect(many.size).toBe(5);
    expect([...decisions(await lines({ format: 'trl', criterion: 'harmlessness' }))]).toEqual([['Rock.', 'Apple.']]);
    const margins = new Map(
      (await lines({ format: 'trl', margin: 'true' })).map((line) => [finalText((line as { chosen: string }).chosen), (line as { margin: number }).margin]),
    );
    // Mean of (strength - 1) / (4 - 1) over the winning judgments.
    expect(margins.get('It is blue.')).toBeCloseTo((3 + 2 + 1) / 3 / 3, 12);
    expect(margins.get('agree-a')).toBeCloseTo(1 / 3, 12);
    expect(margins.get('lone-b')).toBeCloseTo(2 / 3, 12);
    expect(margins.get('weight-a')).toBe(0);
  });

  it('leaves gold out of pair formats unless asked, and applies the filters', async () => {
    expect(decisions(await lines({ format: 'trl', excludeGold: 'false' })).get('gold-a')).toBe('gold-b');
    expect([...decisions(await lines({ format: 'trl', models: 'm1,m2' })).keys()].sort()).toEqual([dpoChosen(), 'It is blue.'].sort());
    expect([...decisions(await lines({ format: 'trl', pairs: 'm3~m2' })).keys()].sort()).toEqual(['agree-a', 'lone-b', 'weight-a']);
    expect([...decisions(await lines({ format: 'trl', guidelineVersion: '2' })).keys()]).toEqual(['lone-b']);
    expect(decisions(await lines({ format: 'trl', guidelineVersion: '1' })).has('lone-b')).toBe(false);
    expect(decisions(await lines({ format: 'trl', onlyComplete: 'true' })).size).toBe(5);
    const untilLone = decisions(await lines({ format: 'trl', to: at(27).toISOString() }));
    expect(untilLone.has('lone-b')).toBe(false);
    expect(untilLone.has('It is blue.')).toBe(true);
    expect([...decisions(await lines({ format: 'trl', from: at(27).toISOString() })).keys()]).toEqual(['lone-b']);
  });

  it('excludes raters by pseudonym or id: a split vote then has a winner', async () => {
    const r0 = c.raters[0]!;
    const pseudonym = 'rater-' + createHmac('sha256', c.seed).update(r0.id).digest('hex').slice(0, 10);
    for (const name of [pseudonym, r0.id]) {
      expect(decisions(await lines({ format: 'trl', excludeRaters: name })).get('split-b')).toBe('split-a');
    }
  });

  it('splits by prompt: train and test are disjoint and together make the whole file', async () => {
    const all = await get({ format: 'trl', testShare: '0.5' });
    const train = await get({ format: 'trl', split: 'train', testShare: '0.5' });
    const test = await get({ format: 'trl', split: 'test', testShare: '0.5' });
    expect(train.headers['content-disposition']).toContain('-trl-train.jsonl');
    const sorted = (text: string) => text.split('\n').filter(Boolean).sort();
    expect([...sorted(train.text), ...sorted(test.text)].sort()).toEqual(sorted(all.text));
    // The documented rule, computed here independently: the first 48 bits of sha256([seed, key]) against testShare.
    const inTest = (key: string) => createHash('sha256').update(JSON.stringify([c.seed, key])).digest().readUIntBE(0, 6) / 2 ** 48 < 0.5;
    const keyOf = new Map(c.comparisons.flatMap((comparison) => [comparison.a, comparison.b].map((response) => [response.content, comparison.promptKey] as const)));
    const testKeys = [...decisions(all.lines).values()].map((rejected) => keyOf.get(rejected)!).filter(inTest);
    expect(test.lines).toHaveLength(testKeys.length);
  });

  it('raw writes every judgment with models, sides shown, a pseudonym, and the undone and excluded marks', async () => {
    const found = (await lines({ format: 'raw' })) as TRawLine[];
    expect(found).toHaveLength(27);
    for (const line of found) ZRawLine.parse(line);
    const text = JSON.stringify(found);
    for (const rater of c.raters) {
      expect(text).not.toContain(rater.email);
      expect(text).not.toContain(rater.id);
    }
    const blue = found.filter((line) => line.response_a.content === 'It is blue.');
    expect(blue).toHaveLength(5);
    const [first, , , undone, excluded] = blue as [TRawLine, TRawLine, TRawLine, TRawLine, TRawLine];
    expect(first.response_a).toStrictEqual({ model: 'm1', content: 'It is blue.', shown: 'right', generation: null });
    expect(first.response_b).toStrictEqual({ model: 'm2', content: 'It is green.', shown: 'left', generation: null });
    expect(first).toMatchObject({ choice: 'A', strength: 4, rationale: 'Blue is right.', time_on_task_ms: 4200, guideline_version: '1', is_gold: false });
    expect(first.rater).toBe('rater-' + createHmac('sha256', c.seed).update(c.raters[0]!.id).digest('hex').slice(0, 10));
    expect(first.context).toStrictEqual(sky);
    expect(undone.undone_at).toBe(at(100).toISOString());
    expect(undone.excluded).toBe(false);
    expect(excluded.excluded).toBe(true);
    expect(excluded.undone_at).toBeNull();
    expect(new Set(blue.map((line) => line.rater)).size).toBe(5);
    expect(found.filter((line) => line.is_gold)).toHaveLength(1);
    expect((await lines({ format: 'raw', excludeGold: 'true' })).length).toBe(26);
  });

  it('counts rows before downloading and describes the file in a card', async () => {
    for (const query of [{ format: 'trl', minJudgments: '1' }, { format: 'raw' }, { format: 'kto', bothBad: 'keep', minJudgments: '1' }] as Record<string, string>[]) {
      const count = await t.app.inject({ method: 'GET', url: exportPath(c.id, query, '/count'), cookies: { juxta_session: admin.session } });
      expect(count.statusCode).toBe(200);
      expect(count.json().rows).toBe((await lines(query)).length);
    }
    const asOf = new Date(Date.now() - 60_000).toISOString();
    const card = await get({ format: 'trl', asOf }, '/card');
    expect(card.status).toBe(200);
    expect(card.headers['content-type']).toMatch(/^text\/markdown/);
    expect(card.headers['x-juxta-as-of']).toBe(asOf);
    expect(card.text).toMatch(/^---\n/);
    expect(card.text).toContain('juxta-agg-1');
    expect(card.text).toContain(asOf);
    expect(card.text).toContain('Human:');
    for (const model of ['m1', 'm2', 'm3']) expect(card.text).toContain(`- ${model}`);
    expect(card.text).toMatch(/pairwise percent agreement \| 0\.\d+/);
    expect(card.text).toContain(`http://juxta.test/api/campaigns/${c.id}/export?`);
    expect(card.text).toContain(`asOf=${encodeURIComponent(asOf)}`);
  });

  it('answers 400 before any byte for a bad format, asOf or rater, and guards access', async () => {
    for (const query of [
      { format: 'csv' },
      { format: 'raw', asOf: 'yesterday' },
      { format: 'raw', asOf: new Date(Date.now() + 3600_000).toISOString() },
      { format: 'raw', excludeRaters: 'rater-0000000000' },
      { format: 'raw', guidelineVersion: 'v2' },
      { format: 'trl', ties: 'keep' },
      { format: 'trl', surprise: '1' },
    ] as Record<string, string>[]) {
      const res = await get(query);
      expect(res.status, JSON.stringify(query)).toBe(400);
      expect(JSON.parse(res.text).error.code).toBe('VALIDATION_FAILED');
    }
    expect((await download(t.app, null, exportPath(c.id, { format: 'raw' }))).status).toBe(401);
    const rater = await createUser(t.app, 'RATER', [c.id]);
    expect((await download(t.app, rater, exportPath(c.id, { format: 'raw' }))).status).toBe(403);
    expect((await get({ format: 'raw' })).status).toBe(200);
    const unknown = await download(t.app, admin, exportPath('00000000-0000-4000-8000-000000000000', { format: 'raw' }));
    expect(unknown.status).toBe(404);
  });

  it('works with an API token', async () => {
    const token = newSecret(t.app.ctx.random, 'jxt');
    await t.app.ctx.db.prisma.apiToken.create({ data: { name: 'export', tokenHash: hashSecret(token), prefix: token.slice(0, 8), userId: admin.id, scopes: ['export:read'] } });
    const res = await download(t.app, null, exportPath(c.id, { format: 'trl', minJudgments: '1' }), token);
    expect(res.status).toBe(200);
    expect(res.lines).toHaveLength(6);
  });

  it('sees nothing of an import that is not published', async () => {
    const hidden = await seedCampaign(t.app, { raters: 1, importStatus: 'RUNNING', prompts: [{ context: sky, responses: pair('x', 'y') }] });
    await addJudgments(t.app, hidden, [{ comparison: hidden.comparisons[0]!, rater: hidden.raters[0]!, choice: 'A', createdAt: at(1) }]);
    for (const format of ['raw', 'trl']) {
      const res = await download(t.app, admin, exportPath(hidden.id, { format }));
      expect(res.status).toBe(200);
      expect(res.text).toBe('');
    }
  });
});
