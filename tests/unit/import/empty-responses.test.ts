// Blank responses: skipped with their record by default (emptyResponse), compared like any other answer with `keep`.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { joinAnswerFiles } from '../../../server/domain/import/answer-files';
import { buildRecord, recordRules, type RecordFields } from '../../../server/domain/import/build-record';
import { parseUpload } from '../../../server/domain/import/parse-upload';
import type { ParseOptions, RecordRules } from '../../../server/domain/import/types';
import { chunked, fixture, readFixture, tally } from './collect-events';

const SKIP: RecordRules = { emptyResponses: 'skip' };
const KEEP: RecordRules = { emptyResponses: 'keep' };

function fields(prompt: string, ...answers: [model: string, content: string][]): RecordFields {
  return {
    line: 1,
    externalId: null,
    context: [{ role: 'user', content: prompt }],
    responses: answers.map(([model, content]) => ({ model, content, externalId: null, metadata: null })),
    metadata: null,
    gold: null,
    pairs: null,
    reference: null,
  };
}

const outcome = (record: RecordFields, rules: RecordRules) => {
  const built = buildRecord(record, rules);
  return 'skip' in built ? built.skip : 'record';
};

describe('buildRecord', () => {
  it('skips a record with a blank response by default, and the rules default to skip', () => {
    expect(recordRules({})).toEqual(SKIP);
    for (const blank of ['', ' ', '\n\t ']) expect(outcome(fields('Q', ['a', 'x'], ['b', blank]), SKIP)).toBe('emptyResponse');
  });

  it('with keep, a blank response is a response like any other, kept exactly as in the file', () => {
    for (const blank of ['', ' ', '\n\t ']) {
      const built = buildRecord(fields('Q', ['a', 'x'], ['b', blank], ['c', 'y']), KEEP);
      expect('record' in built && built.record.responses.map((r) => r.content)).toEqual(['x', blank, 'y']);
    }
  });

  it('with keep, the other rules still apply in their order', () => {
    expect(outcome(fields(' ', ['a', ''], ['b', 'x']), KEEP)).toBe('emptyPrompt');
    expect(outcome({ ...fields('Q', ['a', ''], ['a', 'x']), gold: { better: 'a', worse: 'b' } }, KEEP)).toBe('duplicateModel');
    // Without gold, pairs or a reference label, two responses of one model are two samples.
    expect(outcome(fields('Q', ['a', 'y'], ['a', 'x']), KEEP)).toBe('record');
    expect(outcome(fields('Q'), KEEP)).toBe('record');
    expect(outcome(fields('Q', ['a', 'x']), KEEP)).toBe('tooFewResponses');
    expect(outcome(fields('Q', ['a', 'x'], ['b', 'x']), KEEP)).toBe('identicalPair');
  });

  it('with keep, a record whose responses are all blank still goes as emptyResponse: there is no answer to compare with', () => {
    expect(outcome(fields('Q', ['a', '']), KEEP)).toBe('emptyResponse');
    expect(outcome(fields('Q', ['a', ''], ['b', '']), KEEP)).toBe('emptyResponse');
    expect(outcome(fields('Q', ['a', ' '], ['b', '\n']), KEEP)).toBe('emptyResponse');
    expect(outcome(fields('Q', ['a', ' '], ['b', '\n'], ['c', 'x']), KEEP)).toBe('record');
    // With skip, a blank response is found before tooFewResponses and identicalPair, as before.
    expect(outcome(fields('Q', ['a', '']), SKIP)).toBe('emptyResponse');
    expect(outcome(fields('Q', ['a', ''], ['b', '']), SKIP)).toBe('emptyResponse');
    expect(outcome(fields(' ', ['a', ''], ['b', 'x']), SKIP)).toBe('emptyPrompt');
  });
});

describe('every format passes the rule on', () => {
  const both = async (upload: () => AsyncIterable<Uint8Array>, options: ParseOptions = {}) => ({
    skip: await tally(parseUpload(upload(), options)),
    keep: await tally(parseUpload(upload(), { ...options, emptyResponses: 'keep' })),
  });

  it('native JSONL', async () => {
    const text = [
      { prompt: 'Q', responses: [{ model: 'a', content: 'x' }, { model: 'b', content: '' }] },
      { prompt: 'R', responses: [{ model: 'a', content: 'x' }, { model: 'b', content: 'y' }] },
    ]
      .map((r) => JSON.stringify(r))
      .join('\n');
    const { skip, keep } = await both(() => chunked(text, 3));
    expect(skip.skipped).toEqual({ emptyResponse: 1 });
    expect(skip.records.map((r) => r.line)).toEqual([2]);
    expect(keep.skipped).toEqual({});
    expect(keep.records.map((r) => r.line)).toEqual([1, 2]);
    expect(keep.records[0]!.responses[1]).toMatchObject({ model: 'b', content: '' });
  });

  it('CSV: a response cell that is empty while its model is given', async () => {
    const text = 'prompt,response_1,model_1,response_2,model_2\nQ,x,a,,b\nR,x,a,"  ",b\n';
    const { skip, keep } = await both(() => chunked(text, 4), { format: 'csv' });
    expect(skip.skipped).toEqual({ emptyResponse: 2 });
    expect(keep.errors).toEqual([]);
    expect(keep.records.map((r) => r.responses.map((x) => x.content))).toEqual([
      ['x', ''],
      ['x', '  '],
    ]);
  });

  it('HH-RLHF: the four empty chosen replies of the slice', async () => {
    const gz = readFixture('hh-rlhf/harmless-base-test.slice.jsonl.gz');
    const { skip, keep } = await both(() => chunked(gz, 4096));
    expect(skip.skipped).toEqual({ emptyResponse: 4, divergentContext: 5 });
    expect(keep.skipped).toEqual({ divergentContext: 5 });
    expect(keep.records).toHaveLength(skip.records.length + 4);
    expect(keep.records.filter((r) => r.responses.some((x) => x.content === ''))).toHaveLength(4);
  });

  it('Chatbot Arena', async () => {
    const example = JSON.parse(readFixture('chatbot-arena/example.jsonl').toString('utf8'));
    const battle = { ...example, conversation_b: [...example.conversation_b.slice(0, -1), { role: 'assistant', content: ' ' }] };
    const { skip, keep } = await both(() => chunked(JSON.stringify(battle)));
    expect(skip.skipped).toEqual({ emptyResponse: 1 });
    expect(keep.records).toHaveLength(1);
    expect(keep.records[0]!.reference).toMatchObject({ choice: 'first' });
  });

  it('AlpacaEval: the two empty output_2 of the text_davinci_001 slice, with their preference', async () => {
    const file = readFixture('alpaca-eval/text_davinci_001.slice.json');
    const { skip, keep } = await both(() => chunked(file, 333));
    expect(skip.skipped).toEqual({ identicalPair: 8, emptyResponse: 2 });
    expect(keep.skipped).toEqual({ identicalPair: 8 });
    const empty = keep.records.filter((r) => r.responses[1]!.content === '');
    expect(empty.map((r) => [r.line, r.reference?.choice])).toEqual([
      [31, 'first'],
      [35, 'first'],
    ]);
  });

  it('answer files: the vicuna-eval question with an empty answer', async () => {
    const join = (rules: Partial<RecordRules>) =>
      tally(
        joinAnswerFiles(
          chunked(readFixture('vicuna-eval/question.jsonl')),
          readdirSync(fixture('vicuna-eval/answer')).map((name) => ({ name, stream: chunked(readFileSync(fixture(`vicuna-eval/answer/${name}`)), 4096) })),
          rules,
        ),
      );
    expect((await join({})).skipped).toEqual({ emptyResponse: 1 });
    const keep = await join(KEEP);
    expect(keep.skipped).toEqual({});
    expect(keep.records).toHaveLength(21);
    expect(keep.records.filter((r) => r.responses.some((x) => x.content.trim() === ''))).toHaveLength(1);
  });
});
