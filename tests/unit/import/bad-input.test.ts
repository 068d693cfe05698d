// Malformed uploads: each problem is an error event naming the line (and column where known).
import { readdirSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { parseUpload } from '../../../server/domain/import/parse-upload';
import type { ParseOptions } from '../../../server/domain/import/types';
import { chunked, fixture, tally } from './collect-events';

const good = (n: number) =>
  JSON.stringify({ id: `p${n}`, prompt: `question ${n}`, responses: [{ model: 'a', content: `x${n}` }, { model: 'b', content: `y${n}` }] });
const parse = (data: string | Uint8Array, options: ParseOptions = {}) => tally(parseUpload(chunked(data, 5), options));
const errorsOf = async (data: string | Uint8Array, options: ParseOptions = {}) => (await parse(data, options)).errors;

describe('every non-blank n_ file of JSONTestSuite as a line of a good file', () => {
  const dir = fixture('json-test-suite');
  const cases = readdirSync(dir)
    .filter((name) => name.startsWith('n_'))
    .map((name) => ({ name, bytes: readFileSync(`${dir}/${name}`) }))
    .filter(({ bytes }) => bytes.some((b) => ![0x20, 0x09, 0x0a, 0x0d].includes(b)));

  it('covers the suite', () => expect(cases.length).toBe(186));

  it.each(cases)('$name is an error on line 2 only', async ({ bytes }) => {
    const line = bytes.at(-1) === 0x0a ? bytes.subarray(0, -1) : bytes;
    const extraLines = line.filter((b) => b === 0x0a).length;
    const upload = Buffer.concat([Buffer.from(good(1) + '\n'), line, Buffer.from('\n' + good(3) + '\n')]);
    const result = await parse(upload);
    expect(result.errors.length).toBeGreaterThan(0);
    expect(result.errors[0]!.line).toBe(2);
    expect(result.errors.every((e) => e.line! >= 2 && e.line! <= 2 + extraLines && e.message.length > 10)).toBe(true);
    expect(result.records.map((r) => r.key)).toEqual(['p1', 'p3']);
  });
});

describe('JSON objects that are not records', () => {
  const dir = fixture('json-test-suite');
  const objects = readdirSync(dir).filter((name) => name.startsWith('y_object'));

  it.each(objects)('%s as a native record says which field is wrong', async (name) => {
    const text = readFileSync(`${dir}/${name}`, 'utf8').replace(/\n/g, ' ');
    const errors = await errorsOf(`${good(1)}\n${text}\n`, { format: 'native' });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ line: 2, message: expect.stringMatching(/is missing|unknown field|must be|give either|NUL|appears twice/) });
  });

  it('a first line that is no object says so, and the format is recognised from the next one', async () => {
    const result = await parse(`"text"\n[1]\n${good(3)}\n`, { contentType: 'application/x-ndjson' });
    expect(result.errors.map((e) => [e.line, e.message])).toEqual([
      [1, 'each line must be a JSON object, not a string'],
      [2, 'each line must be a JSON object, not an array'],
    ]);
    expect(result.records.map((r) => r.key)).toEqual(['p3']);
  });

  it('an unrecognisable first record asks for ?format=', async () => {
    const errors = await errorsOf('{"question": "hi"}\n');
    expect(errors).toMatchObject([{ line: 1, message: expect.stringMatching(/\?format=/) }]);
  });
});

describe('the bad inputs of the issue', () => {
  it('a truncated last line says the upload may be cut short', async () => {
    const errors = await errorsOf(`${good(1)}\n${good(2).slice(0, 40)}`);
    expect(errors).toMatchObject([{ line: 2, message: expect.stringMatching(/cut short/) }]);
  });

  it('non-object lines', async () => {
    const errors = await errorsOf(`${good(1)}\n[1, 2]\n"text"\n42\nnull\n`);
    expect(errors.map((e) => [e.line, e.message])).toEqual([
      [2, 'each line must be a JSON object, not an array'],
      [3, 'each line must be a JSON object, not a string'],
      [4, 'each line must be a JSON object, not a number'],
      [5, 'each line must be a JSON object, not null'],
    ]);
  });

  it('wrong types: a response that is false', async () => {
    const errors = await errorsOf(`${good(1)}\n{"prompt": "q", "responses": [false, {"model": "b", "content": 1}]}\n`);
    expect(errors).toMatchObject([{ line: 2, message: expect.stringMatching(/^responses\.0: expected object, received boolean; responses\.1\.content: expected string/) }]);
  });

  it('missing fields', async () => {
    const errors = await errorsOf(`${good(1)}\n{"prompt": "q", "responses": [{"content": "x"}]}\n{"responses": []}\n`);
    expect(errors).toMatchObject([
      { line: 2, message: 'responses.0.model: is missing' },
      { line: 3, message: expect.stringMatching(/either "prompt".* or "messages"/) },
    ]);
  });

  it('a __proto__ key is refused and pollutes nothing', async () => {
    const evil = '{"prompt": "q", "responses": [], "metadata": {"__proto__": {"polluted": true}}, "__proto__": {"isAdmin": true}}';
    const result = await parse(`${good(1)}\n${evil}\n{"constructor": {"prototype": {"polluted": true}}, ${good(3).slice(1)}\n`);
    expect(result.errors[0]).toMatchObject({ line: 2, message: expect.stringMatching(/__proto__/), column: expect.any(Number) });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    expect(result.errors[1]).toMatchObject({ line: 3, message: expect.stringMatching(/unknown field\(s\) constructor/) });
  });

  it('numbers beyond 2^53 in ids, of prompts and of responses', async () => {
    const big = good(1).replace('"p1"', '9007199254740993');
    const bigResponse = good(2).replace('"model":"a"', '"model":"a","id":12345678901234567890');
    const errors = await errorsOf(`${big}\n${bigResponse}\n${good(3).replace('"p3"', '42')}\n`);
    expect(errors).toMatchObject([
      { line: 1, message: expect.stringMatching(/^id: .*2\^53.*write the id as a string/) },
      { line: 2, message: expect.stringMatching(/^responses\.0\.id: .*2\^53/) },
    ]);
  });

  it('a 2 MiB line is refused without stopping the rest', async () => {
    const long = good(2).replace('question 2', 'q'.repeat(2 * 1024 * 1024));
    const result = await tally(parseUpload(chunked(`${good(1)}\n${long}\n${good(3)}\n`, 64 * 1024)));
    expect(result.errors).toMatchObject([{ line: 2, message: expect.stringMatching(/over the limit of 1048576/) }]);
    expect(result.records).toHaveLength(2);
  });

  it('a 0-byte file, and a file of blank lines, have no records', async () => {
    expect(await errorsOf('')).toMatchObject([{ line: null, code: 'IMPORT_EMPTY' }]);
    expect(await errorsOf('\n  \n\r\n')).toMatchObject([{ line: null, code: 'IMPORT_EMPTY' }]);
    expect(await errorsOf('[]', { contentType: 'application/json' })).toMatchObject([{ code: 'IMPORT_EMPTY' }]);
  });

  it('an unknown format', async () => {
    expect(await errorsOf(good(1), { format: 'parquet' })).toEqual([
      expect.objectContaining({ line: null, code: 'UNKNOWN_FORMAT', message: expect.stringMatching(/"parquet".*native, csv/) }),
    ]);
  });

  it('invalid UTF-8, with the column of the bad byte', async () => {
    const line = Buffer.concat([Buffer.from('{"prompt": "caf\u00e9 '), Buffer.from([0xc3, 0x28]), Buffer.from('", "responses": []}')]);
    const errors = await errorsOf(Buffer.concat([Buffer.from(good(1) + '\n'), line, Buffer.from('\n')]));
    expect(errors).toMatchObject([{ line: 2, column: 18, message: expect.stringMatching(/invalid UTF-8/) }]);
  });

  it('NUL characters and unpaired surrogates, raw or escaped', async () => {
    const lines = [
      good(1).replace('x1', 'a\\u0000b'),
      good(2).replace('x2', 'a\\ud800b'),
      good(3).replace('x3', '\\udc00'),
      good(4).replace('x4', '\\ud83d\\ude00'), // a valid pair: fine
    ];
    const result = await parse(lines.join('\n'));
    expect(result.errors).toMatchObject([
      { line: 1, message: expect.stringMatching(/NUL/), column: lines[0]!.indexOf('\\u0000') + 1 },
      { line: 2, message: expect.stringMatching(/unpaired/), column: lines[1]!.indexOf('\\ud800') + 1 },
      { line: 3, message: expect.stringMatching(/unpaired/), column: lines[2]!.indexOf('\\udc00') + 1 },
    ]);
    expect(result.records.map((r) => r.responses[0]!.content)).toEqual(['\u{1F600}']);
  });

  it('a key twice in one object is refused with the line, the key and its column (also when escaped, also nested)', async () => {
    const twice = '{"prompt": "q", "prompt": "r", "responses": [{"model": "a", "content": "x"}, {"model": "b", "content": "y"}]}';
    const escaped = '{"prompt": "q", "responses": [{"model": "a", "content": "x", "\\u006dodel": "c"}, {"model": "b", "content": "y"}]}';
    const nested = '{"prompt": "q", "metadata": {"tags": [{"k": 1, "k": 2}]}, "responses": [{"model": "a", "content": "x"}, {"model": "b", "content": "y"}]}';
    const result = await parse([good(1), twice, escaped, nested, good(5)].join('\n'));
    expect(result.errors).toEqual([
      expect.objectContaining({ line: 2, column: twice.lastIndexOf('"prompt"') + 1, message: 'the key "prompt" appears twice in one object: keep one' }),
      expect.objectContaining({ line: 3, column: escaped.indexOf('"\\u006dodel"') + 1, message: 'the key "model" appears twice in one object: keep one' }),
      expect.objectContaining({ line: 4, message: 'the key "k" appears twice in one object: keep one' }),
    ]);
    // The same key in sibling objects (every response has "model") is no duplicate.
    expect(result.records.map((r) => r.key)).toEqual(['p1', 'p5']);
  });

  it('deep nesting says "nested too deeply", not a stack overflow', async () => {
    const deep = `{"prompt": "q", "metadata": {"x": ${'['.repeat(100_000)}${']'.repeat(100_000)}}, "responses": []}`;
    const shallow = `{"prompt": "q", "metadata": {"x": ${'['.repeat(90)}${']'.repeat(90)}}, "responses": []}`;
    const result = await parse([good(1), deep, shallow].join('\n'));
    expect(result.errors).toEqual([expect.objectContaining({ line: 2, message: 'nested too deeply: more than 100 levels of arrays and objects' })]);
    expect(result.records).toHaveLength(2);
  });

  it('a JSON syntax error names its column', async () => {
    const errors = await errorsOf(`${good(1)}\n{"prompt": "q" "responses": []}\n`);
    expect(errors).toMatchObject([{ line: 2, column: 16, message: expect.stringMatching(/^not valid JSON/) }]);
  });

  it('an upload over the size limit stops with PAYLOAD_TOO_LARGE', async () => {
    const body = Array.from({ length: 100 }, (_, i) => good(i)).join('\n');
    const result = await parse(body, { maxUploadBytes: 2000 });
    expect(result.errors.at(-1)).toMatchObject({ line: null, code: 'PAYLOAD_TOO_LARGE' });
    const zipped = await parse(gzipSync(body), { maxInflatedBytes: body.length - 1 });
    expect(zipped.errors.at(-1)).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', message: expect.stringMatching(/inflates to more than .*IMPORT_MAX_INFLATED_BYTES/) });
    expect((await parse(gzipSync(body), { maxUploadBytes: body.length - 1 })).errors).toEqual([]);
  });

  it('damaged gzip data', async () => {
    const zipped = gzipSync(good(1));
    zipped[zipped.length - 6]! ^= 0xff;
    expect(await errorsOf(zipped)).toMatchObject([{ line: null, message: expect.stringMatching(/gzip/) }]);
  });

  it('a broken JSON array names the element and the file line', async () => {
    const errors = await errorsOf(`[\n${good(1)},\n${good(2)}\n${good(3)}]`, { contentType: 'application/json' });
    expect(errors).toMatchObject([{ line: null, message: expect.stringMatching(/after record 2 of the array \(file line 4\)/) }]);
  });
});
