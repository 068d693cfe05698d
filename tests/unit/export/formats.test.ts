// Each export format against the published examples (fixture copy of the corpus' examples.json), field by field.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { AggregatedOutcome } from '../../../server/domain/export/aggregate';
import {
  hhRlhfLine,
  ktoConversationalLines,
  ktoLines,
  openAiDpoLine,
  pairExportLines,
  rawLine,
  trlConversationalLine,
  trlLine,
} from '../../../server/domain/export/formats';
import {
  ZHhRlhfLine,
  ZKtoConversationalLine,
  ZKtoStandardLine,
  ZOpenAiDpoLine,
  ZRawLine,
  ZTrlConversationalExplicitLine,
  ZTrlConversationalImplicitLine,
  ZTrlStandardExplicitLine,
  ZTrlStandardImplicitLine,
} from '../../../server/domain/export/schemas';
import type { RawJudgment } from '../../../server/domain/export/types';
import { comparison } from './factories';

type Example = { example: Record<string, unknown> };
const examples = JSON.parse(
  readFileSync(new URL('../../fixtures/preference-formats/examples.json', import.meta.url), 'utf8'),
) as Record<string, Example>;
const example = (name: string) => examples[name]!.example;

/** The JSON type skeleton of a value, keys in order, so two lines compare by shape. */
function shapeOf(value: unknown): unknown {
  if (Array.isArray(value)) return [...new Set(value.map((item) => JSON.stringify(shapeOf(item))))].map((s) => JSON.parse(s));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, shapeOf(item)]));
  }
  return value === null ? 'null' : typeof value;
}

const expectSameShape = (ours: unknown, theirs: unknown) =>
  expect(JSON.stringify(shapeOf(ours))).toBe(JSON.stringify(shapeOf(theirs)));

const sky = comparison([{ role: 'user', content: 'What color is the sky?' }], 'It is green.', 'It is blue.');
const skyB = 'B' as const; // the examples prefer "blue", stored here as response B

describe('trl (standard)', () => {
  it('explicit prompt: prompt, chosen, rejected; the completion carries the leading space, like the example', () => {
    const theirs = example('trl_preference_standard_explicit') as { prompt: string; chosen: string; rejected: string };
    const ours = trlLine(sky, skyB, { prompt: 'explicit' });
    expectSameShape(ours, theirs);
    expect(ZTrlStandardExplicitLine.parse(theirs)).toEqual(theirs);
    expect(ZTrlStandardExplicitLine.parse(ours)).toEqual(ours);
    expect(ours.prompt).toBe('\n\nHuman: What color is the sky?\n\nAssistant:');
    expect(ours.chosen).toBe(' It is blue.');
    expect(ours.rejected).toBe(' It is green.');
    for (const line of [theirs, ours]) expect(line.chosen.startsWith(' ') && line.rejected.startsWith(' ')).toBe(true);
  });

  it('plain prompt (the default): the texts themselves, as in TRL\'s own examples; a multi-turn prompt falls back to explicit', () => {
    const ours = trlLine(sky, skyB, { prompt: 'plain' });
    expect(ours).toStrictEqual({ prompt: 'What color is the sky?', chosen: 'It is blue.', rejected: 'It is green.' });
    expect(ZTrlStandardExplicitLine.parse(ours)).toEqual(ours);
    const chat = comparison(
      [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'What color is the sky?' },
      ],
      'It is green.',
      'It is blue.',
    );
    expect(trlLine(chat, skyB, { prompt: 'plain' })).toStrictEqual(trlLine(chat, skyB, { prompt: 'explicit' }));
    expect(trlLine(chat, skyB, { prompt: 'plain' }).prompt).toBe('Be brief.\n\nHuman: What color is the sky?\n\nAssistant:');
  });

  it('implicit prompt: the whole text, equal to explicit prompt + completion, as in the examples', () => {
    const theirsExplicit = example('trl_preference_standard_explicit') as Record<string, string>;
    const theirs = example('trl_preference_standard_implicit') as Record<string, string>;
    expect(theirs.chosen).toBe(theirsExplicit.prompt! + theirsExplicit.chosen);
    const explicit = trlLine(sky, skyB, { prompt: 'explicit' });
    const ours = trlLine(sky, skyB, { prompt: 'implicit' });
    expectSameShape(ours, theirs);
    expect(ZTrlStandardImplicitLine.parse(ours)).toEqual(ours);
    expect(ours.chosen).toBe(explicit.prompt + explicit.chosen);
    expect(ours.rejected).toBe(explicit.prompt + explicit.rejected);
  });

  it('writes margin only when asked, and the strict schema refuses any other extra field', () => {
    expect('margin' in trlLine(sky, skyB, { prompt: 'explicit' })).toBe(false);
    const withMargin = trlLine(sky, skyB, { prompt: 'implicit', margin: 0.5 });
    expect(ZTrlStandardImplicitLine.parse(withMargin)).toEqual({ ...withMargin, margin: 0.5 });
    expect(() => ZTrlStandardImplicitLine.parse({ ...withMargin, score: 1 })).toThrow();
  });
});

describe('trl-conversational', () => {
  it('explicit prompt equals the example byte for byte', () => {
    const theirs = example('trl_preference_conversational_explicit');
    const ours = trlConversationalLine(sky, skyB, { prompt: 'explicit' });
    expect(JSON.stringify(ours)).toBe(JSON.stringify(theirs));
    expect(ZTrlConversationalExplicitLine.parse(theirs)).toEqual(theirs);
  });

  it('implicit prompt equals the example byte for byte', () => {
    const theirs = example('trl_preference_conversational_implicit');
    const ours = trlConversationalLine(sky, skyB, { prompt: 'implicit' });
    expect(JSON.stringify(ours)).toBe(JSON.stringify(theirs));
    expect(ZTrlConversationalImplicitLine.parse(theirs)).toEqual(theirs);
  });

  it('keeps a multi-turn context with a system turn as messages, dropping extra properties of stored turns', () => {
    const stored = { role: 'system' as const, content: 'Be brief.', id: 'turn-1' };
    const chat = comparison([stored, { role: 'user', content: 'Hi' }], 'Hello!', 'Go away.');
    const line = trlConversationalLine(chat, 'A', { prompt: 'explicit', margin: 1 });
    expect(ZTrlConversationalExplicitLine.parse(line)).toEqual(line);
    expect(line).toMatchObject({ prompt: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hi' }], margin: 1 });
  });
});

describe('kto', () => {
  it('standard: a chosen line labelled true then a rejected line labelled false, shaped like the example', () => {
    const theirs = example('trl_unpaired_preference_kto_standard');
    const lines = ktoLines(sky, skyB);
    expect(lines.map((line) => [line.completion, line.label])).toEqual([
      [' It is blue.', true],
      [' It is green.', false],
    ]);
    for (const line of lines) {
      expectSameShape(line, theirs);
      expect(ZKtoStandardLine.parse(line)).toEqual(line);
      expect(line.prompt).toBe(trlLine(sky, skyB, { prompt: 'explicit' }).prompt);
    }
  });

  it('conversational: the rejected line equals the example byte for byte', () => {
    const theirs = example('trl_unpaired_preference_kto_conversational');
    const [chosen, rejected] = ktoConversationalLines(sky, skyB);
    expect(JSON.stringify(rejected)).toBe(JSON.stringify(theirs));
    expect(chosen).toEqual({ ...theirs, completion: [{ role: 'assistant', content: 'It is blue.' }], label: true });
    expect(ZKtoConversationalLine.parse(theirs)).toEqual(theirs);
  });

  it('both-bad gives two false lines, a tie gives none', () => {
    expect(ktoLines(sky, 'BOTH_BAD').map((line) => [line.completion, line.label])).toEqual([
      [' It is green.', false],
      [' It is blue.', false],
    ]);
    expect(ktoConversationalLines(sky, 'TIE')).toEqual([]);
  });
});

describe('hh-rlhf', () => {
  it('equals the example byte for byte: two transcripts and nothing else', () => {
    const theirs = example('anthropic_hh_rlhf');
    const ours = hhRlhfLine(sky, skyB);
    expect(JSON.stringify(ours)).toBe(JSON.stringify(theirs));
    expect(ZHhRlhfLine.parse(theirs)).toEqual(theirs);
    expect(() => ZHhRlhfLine.parse({ ...ours, prompt: '' })).toThrow();
  });

  it('is what trl writes with an implicit prompt and no margin', () => {
    expect(trlLine(sky, 'A', { prompt: 'implicit' })).toEqual(hhRlhfLine(sky, 'A'));
  });
});

describe('openai-dpo', () => {
  it('equals the example from the fine-tuning guide byte for byte', () => {
    const theirs = example('openai_dpo_finetuning_line') as {
      input: { messages: { content: string }[] };
      preferred_output: { content: string }[];
      non_preferred_output: { content: string }[];
    };
    const dpo = comparison(
      [{ role: 'user', content: theirs.input.messages[0]!.content }],
      theirs.preferred_output[0]!.content,
      theirs.non_preferred_output[0]!.content,
    );
    const ours = openAiDpoLine(dpo, 'A');
    expect(JSON.stringify(ours)).toBe(JSON.stringify(theirs));
    expect(ZOpenAiDpoLine.parse(theirs)).toEqual(theirs);
  });
});

describe('pairExportLines', () => {
  const decided = (outcome: AggregatedOutcome['outcome']): AggregatedOutcome => ({
    kept: true,
    outcome,
    agreement: 1,
    n: 3,
    margin: 0.25,
  });

  it('adds the aggregated margin to trl lines only when asked', () => {
    const [line] = pairExportLines('trl-conversational', sky, decided('B'), { prompt: 'implicit', margin: true });
    expect(line).toMatchObject({ margin: 0.25 });
    const [plain] = pairExportLines('trl', sky, decided('B'), { prompt: 'implicit', margin: false });
    expect(plain).toEqual(hhRlhfLine(sky, 'B'));
  });

  it('refuses a tie or both-bad outcome in a format that cannot express it, and passes them to kto', () => {
    for (const format of ['trl', 'trl-conversational', 'hh-rlhf', 'openai-dpo'] as const) {
      expect(() => pairExportLines(format, sky, decided('TIE'), { prompt: 'explicit', margin: false })).toThrow(/cannot express/);
    }
    expect(pairExportLines('kto', sky, decided('BOTH_BAD'), { prompt: 'explicit', margin: false })).toHaveLength(2);
    expect(pairExportLines('kto-conversational', sky, decided('TIE'), { prompt: 'explicit', margin: false })).toEqual([]);
  });
});

describe('raw', () => {
  const judged: RawJudgment = {
    judgmentId: 'judgment-1',
    comparison: comparison([{ role: 'user', content: 'Hi' }], 'Hello!', 'Go away.', { isGold: true, reference: { choice: 'B', source: 'hh-rlhf' } }),
    ranking: null,
    leftSide: 'B',
    choice: 'A',
    strength: 2,
    criteria: { helpful: { choice: 'A', strength: 3 }, harmless: { choice: 'TIE', strength: null } },
    rationale: 'Friendlier.',
    raterPseudonym: 'rater-7f3a',
    timeOnTaskMs: 5400,
    guidelineVersion: 'v2',
    assignedAt: new Date('2025-02-01T10:00:00.000Z'),
    createdAt: new Date('2025-02-01T10:00:05.400Z'),
    undoneAt: null,
    excluded: false,
  };

  it('writes every field of the judgment, with the side each response was shown on', () => {
    const line = rawLine(judged);
    expect(ZRawLine.parse(line)).toEqual(line);
    expect(line).toEqual({
      judgment_id: 'judgment-1',
      comparison_id: judged.comparison.comparisonId,
      prompt_key: judged.comparison.promptKey,
      context: [{ role: 'user', content: 'Hi' }],
      response_a: { model: 'model-a', content: 'Hello!', shown: 'right', generation: null },
      response_b: { model: 'model-b', content: 'Go away.', shown: 'left', generation: null },
      choice: 'A',
      strength: 2,
      criteria: { helpful: { choice: 'A', strength: 3 }, harmless: { choice: 'TIE', strength: null } },
      ranking: null,
      rationale: 'Friendlier.',
      rater: 'rater-7f3a',
      time_on_task_ms: 5400,
      guideline_version: 'v2',
      is_gold: true,
      reference: { choice: 'B', source: 'hh-rlhf' },
      assigned_at: '2025-02-01T10:00:00.000Z',
      judged_at: '2025-02-01T10:00:05.400Z',
      undone_at: null,
      excluded: false,
    });
  });

  it('marks an undone judgment and an excluded rater instead of leaving them out', () => {
    const line = rawLine({ ...judged, leftSide: 'A', undoneAt: new Date('2025-02-01T10:00:09Z'), excluded: true });
    expect(ZRawLine.parse(line)).toMatchObject({
      undone_at: '2025-02-01T10:00:09.000Z',
      excluded: true,
      response_a: { shown: 'left' },
      response_b: { shown: 'right' },
    });
    expect(() => ZRawLine.parse({ ...line, email: 'someone@example.com' })).toThrow();
  });

  it("names a generated response's endpoint, model id, parameters, sample and finish reason", () => {
    const generation = { endpoint: 'Policy A', model: 'meta-llama/Llama-3-8B', params: { temperature: 0.7, seed: 3 }, sample: 1, finishReason: 'length', truncated: true };
    const line = rawLine({ ...judged, comparison: { ...judged.comparison, a: { ...judged.comparison.a, generation } } });
    expect(ZRawLine.parse(line).response_a.generation).toStrictEqual({
      endpoint: 'Policy A',
      model: 'meta-llama/Llama-3-8B',
      params: { temperature: 0.7, seed: 3 },
      sample: 1,
      finish_reason: 'length',
      truncated: true,
    });
    expect(line.response_b.generation).toBeNull();
  });
});
