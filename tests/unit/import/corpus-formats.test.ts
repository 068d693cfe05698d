// Every real corpus format parses, with the counts the source files imply.
import { readdirSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { joinAnswerFiles } from '../../../server/domain/import/answer-files';
import { formatHhTranscript, HH_CHOSEN_MODEL } from '../../../server/domain/import/hh-rlhf-format';
import { parseUpload } from '../../../server/domain/import/parse-upload';
import { chunked, fixture, readFixture, tally } from './collect-events';

describe('hh-rlhf (gzipped JSONL)', () => {
  const gz = readFixture('hh-rlhf/harmless-base-test.slice.jsonl.gz');
  const rows = gunzipSync(gz).toString('utf8').trim().split('\n').map((line) => JSON.parse(line) as { chosen: string; rejected: string });

  it('imports 30 pairs, skips the 4 empty replies and 5 diverging transcripts', async () => {
    const result = await tally(parseUpload(chunked(gz, 4096), { contentType: 'application/x-ndjson' }));
    expect(result.errors).toEqual([]);
    expect(result.records).toHaveLength(30);
    expect(result.skipped).toEqual({ emptyResponse: 4, divergentContext: 5 });
    expect(result.records.every((r) => r.reference?.choice === 'first' && r.key.startsWith('sha256:'))).toBe(true);
  });

  it('keeps the text so that both transcripts are rebuilt byte for byte', async () => {
    const { records } = await tally(parseUpload(chunked(gz, 1000)));
    for (const record of records) {
      const row = rows[record.line - 1]!;
      const reply = (model: string) => record.responses.find((r) => r.model === model)!.content;
      expect(formatHhTranscript(record.context, reply(HH_CHOSEN_MODEL))).toBe(row.chosen);
      expect(formatHhTranscript(record.context, reply('hh-rlhf:rejected'))).toBe(row.rejected);
    }
  });
});

describe('alpaca-eval (JSON array)', () => {
  const file = readFixture('alpaca-eval/text_davinci_001.slice.json');
  const elements = JSON.parse(file.toString('utf8')) as Record<string, unknown>[];

  it('imports the pairs and skips identical and empty outputs', async () => {
    const result = await tally(parseUpload(chunked(file, 333), { contentType: 'application/json' }));
    const identical = elements.filter((e) => e.output_1 === e.output_2).length;
    const empty = elements.filter((e) => e.output_1 !== e.output_2 && (e.output_1 === '' || e.output_2 === '')).length;
    expect([identical, empty]).toEqual([8, 2]);
    expect(result.errors).toEqual([]);
    expect(result.skipped).toEqual({ identicalPair: identical, emptyResponse: empty });
    expect(result.records).toHaveLength(elements.length - identical - empty);
  });

  it('keeps the file pair and the judge preference as a reference label', async () => {
    const { records } = await tally(parseUpload(chunked(file, 4096)));
    for (const record of records) {
      const element = elements[record.line - 1]!;
      expect(record.pairs).toEqual([[element.generator_1, element.generator_2]]);
      const expected = { 1: 'first', 2: 'second', 0: 'tie' }[Number(element.preference ?? NaN)] ?? null;
      expect(record.reference?.choice ?? null).toBe(expected);
    }
    expect(records.filter((r) => r.reference === null)).toHaveLength(1);
  });
});

describe('chatbot-arena', () => {
  it('imports the published example with its winner', async () => {
    const { records, errors } = await tally(parseUpload(chunked(readFixture('chatbot-arena/example.jsonl'))));
    expect(errors).toEqual([]);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      key: 'c0fc42c6f5f14f2aa5a89f71f8553730',
      context: [{ role: 'user', content: 'Count from 1 to 10 with step = 3' }],
      pairs: [['vicuna-13b', 'koala-13b']],
      reference: { pair: ['vicuna-13b', 'koala-13b'], choice: 'first', source: 'chatbot-arena' },
    });
  });

  it('skips a two-turn battle whose earlier answers differ as divergentContext', async () => {
    const example = JSON.parse(readFixture('chatbot-arena/example.jsonl').toString('utf8'));
    const second = (conversation: unknown[], earlier: string) => [
      ...conversation.slice(0, 1),
      { role: 'assistant', content: earlier },
      { role: 'user', content: 'again' },
      { role: 'assistant', content: 'x' },
    ];
    const battle = { ...example, conversation_a: second(example.conversation_a, 'a'), conversation_b: second(example.conversation_b, 'b') };
    const result = await tally(parseUpload(chunked(JSON.stringify(battle))));
    expect(result.skipped).toEqual({ divergentContext: 1 });
  });
});

describe('answer files', () => {
  const parts = (dir: string) =>
    readdirSync(fixture(dir)).map((name) => ({ name, stream: chunked(readFileSync(fixture(`${dir}/${name}`)), 4096) }));

  it('joins vicuna-eval questions with 5 models, skipping the prompt with an empty answer', async () => {
    const result = await tally(joinAnswerFiles(chunked(readFixture('vicuna-eval/question.jsonl')), parts('vicuna-eval/answer')));
    expect(result.errors).toEqual([]);
    expect(result.records).toHaveLength(20);
    expect(result.skipped).toEqual({ emptyResponse: 1 });
    expect(result.records.every((r) => r.responses.length === 5 && r.metadata?.category)).toBe(true);
    expect(result.records[0]!.key).toBe('1');
  });

  it('joins arena-hard questions with 3 models, unwrapping {answer} contents', async () => {
    const result = await tally(joinAnswerFiles(chunked(readFixture('arena-hard/question.jsonl')), parts('arena-hard/model_answer')));
    expect(result.errors).toEqual([]);
    expect(result.records).toHaveLength(20);
    for (const record of result.records) {
      expect(record.responses.map((r) => r.model).sort()).toEqual(['gpt-3.5-turbo-0125', 'gpt-4-0314', 'gpt-4-0613']);
      expect(record.responses.every((r) => typeof r.content === 'string' && r.content.length > 0 && r.externalId)).toBe(true);
    }
  });

  it('reports a missing questions part and missing answers parts', async () => {
    const noQuestions = await tally(joinAnswerFiles(undefined, parts('arena-hard/model_answer')));
    expect(noQuestions.errors).toMatchObject([{ line: null, code: 'IMPORT_INVALID', message: expect.stringMatching(/questions/) }]);
    const noAnswers = await tally(joinAnswerFiles(chunked(readFixture('arena-hard/question.jsonl')), []));
    expect(noAnswers.errors).toMatchObject([{ line: null, message: expect.stringMatching(/answers file/) }]);
  });

  it('names the file and line of an answer to an unknown question', async () => {
    const stray = { name: 'extra.jsonl', stream: chunked('{"question_id": 999, "model_id": "m", "text": "hi"}\n') };
    const result = await tally(joinAnswerFiles(chunked(readFixture('vicuna-eval/question.jsonl')), [...parts('vicuna-eval/answer'), stray]));
    expect(result.errors).toMatchObject([{ file: 'extra.jsonl', line: 1, message: expect.stringMatching(/"999" is not in the questions file/) }]);
  });
});
