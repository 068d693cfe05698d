// The native JSONL format: prompts or multi-turn messages, gold answers, skip reasons, keys, JSON arrays.
import { describe, expect, it } from 'vitest';
import { promptKey } from '../../../server/domain/import/build-record';
import { parseUpload } from '../../../server/domain/import/parse-upload';
import { chunked, tally } from './collect-events';

const responses = [
  { model: 'a', content: 'x', id: 'r1' },
  { model: 'b', content: 'y', id: 'r2' },
];
const lines = (...records: object[]) => records.map((r) => JSON.stringify(r)).join('\n') + '\n';
const parse = (text: string, contentType?: string) => tally(parseUpload(chunked(text, 3), { contentType }));

describe('native records', () => {
  it('a prompt becomes one user turn; messages keep the conversation', async () => {
    const messages = [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: 'Hello' },
      { role: 'user', content: 'Bye?' },
    ];
    const { records, errors } = await parse(lines({ prompt: 'Q', responses }, { id: 7, messages, responses, metadata: { topic: 't' } }));
    expect(errors).toEqual([]);
    expect(records[0]).toMatchObject({ line: 1, externalId: null, context: [{ role: 'user', content: 'Q' }], pairs: null });
    expect(records[1]).toMatchObject({ line: 2, key: '7', externalId: '7', context: messages, metadata: { topic: 't' } });
    expect(records[1]!.responses[0]).toEqual({ key: 'id:r1', model: 'a', content: 'x', externalId: 'r1', metadata: null });
  });

  it('gold names responses by id or by model, stored as model names', async () => {
    const { records } = await parse(lines({ prompt: 'Q', responses, gold: { better: 'r2', worse: 'a' } }, { prompt: 'R', responses, gold: { tie: ['a', 'r2'] } }));
    expect(records.map((r) => r.gold)).toEqual([{ better: 'b', worse: 'a' }, { tie: ['a', 'b'] }]);
    const bad = await parse(lines({ prompt: 'Q', responses, gold: { better: 'r9', worse: 'a' } }));
    expect(bad.errors).toMatchObject([{ line: 1, message: expect.stringMatching(/"r9" is neither the id nor the model/) }]);
  });

  it('reference labels the first two responses ("a", "b", "tie", "both_bad"), never as a judgment', async () => {
    const three = [...responses, { model: 'c', content: 'z' }];
    const { records, errors } = await parse(lines({ prompt: 'Q', responses: three, reference: 'b' }, { prompt: 'R', responses, reference: 'both_bad' }, { prompt: 'S', responses }));
    expect(errors).toEqual([]);
    expect(records.map((r) => r.reference)).toEqual([
      { pair: ['a', 'b'], choice: 'second', source: 'native' },
      { pair: ['a', 'b'], choice: 'both_bad', source: 'native' },
      null,
    ]);
    const bad = await parse(lines({ prompt: 'Q', responses, reference: 'left' }, { prompt: 'Q', responses: [responses[0]!], reference: 'a' }));
    expect(bad.errors).toMatchObject([
      { line: 1, message: expect.stringMatching(/reference must be "a", "b", "tie" or "both_bad"/) },
      { line: 2, message: expect.stringMatching(/"reference" labels the first two responses/) },
    ]);
  });

  it('skips unusable records with a reason', async () => {
    const { records, skipped, skipLines } = await parse(
      lines(
        { prompt: 'Q', responses: [responses[0]!, { model: 'a', content: 'z' }, { model: 'b', content: 'w' }], gold: { better: 'r1', worse: 'b' } },
        { prompt: 'Q', responses: [responses[0]!, { model: 'b', content: ' \n' }] },
        { prompt: 'Q', responses: [responses[0]!] },
        { prompt: 'Q', responses: [responses[0]!, { model: 'b', content: 'x' }] },
        { prompt: '  ', responses },
        { prompt: 'ok', responses },
      ),
    );
    expect(skipped).toEqual({ duplicateModel: 1, emptyResponse: 1, tooFewResponses: 1, identicalPair: 1, emptyPrompt: 1 });
    expect(skipLines).toEqual([1, 2, 3, 4, 5]);
    expect(records.map((r) => r.line)).toEqual([6]);
  });

  it('messages must end with the user turn to answer', async () => {
    const { errors } = await parse(lines({ messages: [{ role: 'user', content: 'a' }, { role: 'assistant', content: 'b' }], responses }));
    expect(errors).toMatchObject([{ line: 1, message: expect.stringMatching(/^messages: .*must end with the user turn/) }]);
  });

  it('the key of a prompt without id ignores NFC/NFD and surrounding spaces, but not the text', async () => {
    const nfd = 'Cafe\u0301 ?\n';
    expect(promptKey([{ role: 'user', content: nfd }])).toBe(promptKey([{ role: 'user', content: 'Caf\u00e9 ?' }]));
    expect(promptKey([{ role: 'user', content: 'Café ?' }])).not.toBe(promptKey([{ role: 'user', content: 'Cafe ?' }]));
    expect(promptKey([{ role: 'user', content: 'x' }])).not.toBe(promptKey([{ role: 'system', content: 'x' }]));
    const { records } = await parse(lines({ prompt: nfd, responses }));
    expect(records[0]!.context[0]!.content).toBe(nfd);
  });

  it('a JSON array gives the same records, numbered by element', async () => {
    const array = `[\n  ${JSON.stringify({ prompt: 'Q', responses })},\n  ${JSON.stringify({ id: 'p2', prompt: 'R ]},"[', responses })}\n]\n`;
    const { records, errors } = await parse(array, 'application/json');
    expect(errors).toEqual([]);
    expect(records.map((r) => [r.line, r.context[0]!.content])).toEqual([
      [1, 'Q'],
      [2, 'R ]},"['],
    ]);
  });

  it('reports progress with the bytes read and the records so far', async () => {
    const record = JSON.stringify({ prompt: 'Q'.repeat(1000), responses });
    const text = Array.from({ length: 3000 }, () => record).join('\n');
    const { progress, records } = await tally(parseUpload(chunked(text, 64 * 1024)));
    expect(records).toHaveLength(3000);
    expect(progress.length).toBeGreaterThanOrEqual(3);
    expect(progress.at(-1)).toEqual({ type: 'progress', bytes: Buffer.byteLength(text), records: 3000 });
    expect(progress.map((p) => p.bytes)).toEqual([...progress.map((p) => p.bytes)].sort((a, b) => a - b));
  });
});
