// Bad import files through the API: each a 4xx that names the problem, and the database unchanged.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { client, createUser, startTestApp, type TestApp, type TestUser } from '../helpers/app';
import { newCampaign, rowCounts, upload } from './import-helpers';

const MAX_UPLOAD = 512 * 1024;
const good = (n: number) =>
  JSON.stringify({ id: `p${n}`, prompt: `question ${n}`, responses: [{ model: 'a', content: `x${n}` }, { model: 'b', content: `y${n}` }] });
const ndjson = 'application/x-ndjson';

let t: TestApp;
let admin: TestUser;
let campaignId: string;
let before: Record<string, number>;

beforeAll(async () => {
  t = await startTestApp({ env: { IMPORT_MAX_UPLOAD_BYTES: String(MAX_UPLOAD), IMPORT_MAX_INFLATED_BYTES: String(MAX_UPLOAD) } });
  admin = await createUser(t.app, 'ADMIN');
  campaignId = await newCampaign(t.app, admin);
});
afterAll(async () => t.close());
beforeEach(async () => {
  before = await rowCounts(t.app);
});
afterEach(async () => {
  expect(await rowCounts(t.app)).toEqual(before);
  const campaign = await client(t.app, admin).get(`/api/campaigns/${campaignId}`).expect(200);
  expect(campaign.body.counts).toMatchObject({ prompts: 0, responses: 0, comparisons: 0 });
});

const post = (body: string | Buffer, contentType = ndjson, query = '') => upload(t.app, admin, campaignId, body, contentType, query);

/** A 400 IMPORT_INVALID whose errors name these lines. */
async function expectInvalid(body: string | Buffer, lines: number[], message?: RegExp) {
  const res = await post(body).expect(400);
  expect(res.body.error.code).toBe('IMPORT_INVALID');
  const errors = res.body.error.details.errors as { line: number; message: string }[];
  expect(errors.map((e) => e.line)).toEqual(lines);
  expect(res.body.error.details.totalErrors).toBe(lines.length);
  expect(res.body.error.message).toContain(`line ${lines[0]}`);
  if (message) expect(errors[0]!.message).toMatch(message);
  return errors;
}

describe('every non-blank n_ file of JSONTestSuite as line 2 of a good file', () => {
  const dir = path.join(__dirname, '../fixtures/import/json-test-suite');
  const cases = readdirSync(dir)
    .filter((name) => name.startsWith('n_'))
    .map((name) => ({ name, bytes: readFileSync(`${dir}/${name}`) }))
    .filter(({ bytes }) => bytes.some((b) => ![0x20, 0x09, 0x0a, 0x0d].includes(b)));

  it.each(cases)('$name: 400 naming line 2, nothing stored', async ({ bytes }) => {
    const line = bytes.at(-1) === 0x0a ? bytes.subarray(0, -1) : bytes;
    const res = await post(Buffer.concat([Buffer.from(good(1) + '\n'), line, Buffer.from('\n' + good(3) + '\n')])).expect(400);
    expect(res.body.error.code).toBe('IMPORT_INVALID');
    expect(res.body.error.details.errors[0].line).toBe(2);
    expect(res.body.error.message).toMatch(/line 2: .{10,}/);
  });
});

describe('malformed records', () => {
  it('a truncated last line', async () => {
    await expectInvalid(`${good(1)}\n${good(2).slice(0, 40)}`, [2]);
  });

  it('lines that are not objects', async () => {
    await expectInvalid(`${good(1)}\n[1, 2]\n"text"\n42\nnull\n${good(6)}\n`, [2, 3, 4, 5], /object/);
  });

  it('false as a response', async () => {
    await expectInvalid(`${good(1)}\n{"prompt": "p", "responses": [false, {"model": "b", "content": "y"}]}\n`, [2], /responses\.0/);
  });

  it('a response content that is not a string', async () => {
    await expectInvalid(`{"prompt": "p", "responses": [{"model": "a", "content": false}, {"model": "b", "content": "y"}]}\n`, [1], /content/);
  });

  it('missing fields (a prompt with no responses is fine: it awaits them)', async () => {
    await expectInvalid(`${good(1)}\n{"prompt": "p", "responses": [{"model": "a"}]}\n{"responses": [{"model": "a", "content": "x"}, {"model": "b", "content": "y"}]}\n`, [2, 3], /is missing/);
  });

  it('an id beyond 2^53 is refused rather than rounded', async () => {
    await expectInvalid(`{"id": 9007199254740993, "prompt": "p", "responses": [{"model": "a", "content": "x"}, {"model": "b", "content": "y"}]}\n`, [1], /2\^53/);
  });

  it('a NUL character, an unpaired surrogate, invalid UTF-8', async () => {
    const nul = `{"prompt": "p\\u0000", "responses": [{"model": "a", "content": "x"}, {"model": "b", "content": "y"}]}`;
    const surrogate = `{"prompt": "p\\ud800", "responses": [{"model": "a", "content": "x"}, {"model": "b", "content": "y"}]}`;
    const invalidUtf8 = Buffer.concat([Buffer.from('{"prompt": "p'), Buffer.from([0xc3, 0x28]), Buffer.from('", "responses": []}')]);
    await expectInvalid(Buffer.concat([Buffer.from(`${good(1)}\n${nul}\n${surrogate}\n`), invalidUtf8, Buffer.from('\n')]), [2, 3, 4]);
  });

  it('a 2 MiB line (over the 1 MiB line limit)', async () => {
    const long = JSON.stringify({ prompt: 'p', responses: [{ model: 'a', content: 'x'.repeat(2 * 1024 * 1024) }, { model: 'b', content: 'y' }] });
    // Over the upload limit too in this app: the line limit is checked on the app with the default upload limit below.
    const app = await startTestApp();
    try {
      const res = await upload(app.app, await createUser(app.app, 'ADMIN'), await newCampaign(app.app, await createUser(app.app, 'ADMIN')), `${good(1)}\n${long}\n`, ndjson).expect(400);
      expect(res.body.error.details.errors).toMatchObject([{ line: 2, message: expect.stringMatching(/1048576/) }]);
      expect(await rowCounts(app.app)).toEqual({ prompts: 0, responses: 0, comparisons: 0, judgments: 0 });
    } finally {
      await app.close();
    }
  });

  it('a __proto__ key pollutes nothing', async () => {
    const proto = `{"prompt": "p", "__proto__": {"polluted": 1}, "responses": [{"model": "a", "content": "x"}, {"model": "b", "content": "y"}]}`;
    await expectInvalid(`${good(1)}\n${proto}\n`, [2], /__proto__/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  it('the first 100 errors and the total', async () => {
    const lines = Array.from({ length: 300 }, (_, i) => (i % 2 ? '{"prompt": 1}' : good(i)));
    const res = await post(lines.join('\n')).expect(400);
    expect(res.body.error.details.errors).toHaveLength(100);
    expect(res.body.error.details.totalErrors).toBe(150);
  });
});

describe('uploads as a whole', () => {
  it('a 0-byte file', async () => {
    const res = await post('').expect(400);
    expect(res.body.error.code).toBe('IMPORT_EMPTY');
  });

  it('blank lines only, or every record skipped', async () => {
    expect((await post('\n\n  \n').expect(400)).body.error.code).toBe('IMPORT_EMPTY');
    const same = `{"prompt": "p", "responses": [{"model": "a", "content": "x"}, {"model": "b", "content": "x"}]}`;
    const res = await post(same).expect(400);
    expect(res.body.error).toMatchObject({ code: 'IMPORT_EMPTY', details: { skipped: { identicalPair: 1 } } });
  });

  it('an unknown format', async () => {
    const res = await post(good(1), ndjson, '?format=parquet').expect(400);
    expect(res.body.error.code).toBe('UNKNOWN_FORMAT');
    expect(res.body.error.message).toMatch(/parquet.*native/);
  });

  it('an emptyResponses value other than skip or keep', async () => {
    const res = await post(good(1), ndjson, '?emptyResponses=yes').expect(400);
    expect(res.body.error).toMatchObject({
      code: 'VALIDATION_FAILED',
      message: expect.stringMatching(/emptyResponses.*"skip".*"keep"/),
      details: { issues: [{ path: 'querystring.emptyResponses' }] },
    });
  });

  it('a format that does not match the records', async () => {
    const res = await post(good(1), ndjson, '?format=hh-rlhf').expect(400);
    expect(res.body.error.details.errors[0]).toMatchObject({ line: 1, message: expect.stringMatching(/chosen/) });
  });

  it('an upload over the size limit: 413 from Content-Length, and from the stream when gzip inflates past IMPORT_MAX_INFLATED_BYTES', async () => {
    const big = Array.from({ length: 12_000 }, (_, i) => good(i)).join('\n');
    expect(big.length).toBeGreaterThan(MAX_UPLOAD);
    expect((await post(big).expect(413)).body.error.code).toBe('PAYLOAD_TOO_LARGE');
    const bomb = gzipSync(big);
    expect(bomb.length).toBeLessThan(MAX_UPLOAD);
    expect((await post(bomb, 'application/gzip').expect(413)).body.error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('a damaged gzip body', async () => {
    const gz = gzipSync(good(1));
    const res = await post(gz.subarray(0, gz.length - 6), 'application/gzip').expect(400);
    expect(res.body.error.message).toMatch(/gzip/);
  });

  it('a content type that is no import', async () => {
    const res = await post('a=b', 'application/x-www-form-urlencoded').expect(415);
    expect(res.body.error.message).toMatch(/x-ndjson/);
  });

  it('answer files as a plain body, and a text file as multipart with another format', async () => {
    expect((await post(good(1), ndjson, '?format=answer-files').expect(400)).body.error.message).toMatch(/multipart/);
    const res = await client(t.app, admin).post(`/api/campaigns/${campaignId}/imports?format=native`).attach('questions', Buffer.from(good(1)), 'q.jsonl').expect(400);
    expect(res.body.error.message).toMatch(/request body/);
  });
});

describe('answer files with a missing or unexpected part', () => {
  const question = '{"question_id": 1, "text": "hi"}\n';
  const answer = (model: string) => `{"question_id": 1, "model_id": "${model}", "text": "hello from ${model}"}\n`;
  const multipart = () => client(t.app, admin).post(`/api/campaigns/${campaignId}/imports`);

  it('no questions part', async () => {
    const res = await multipart().attach('answers', Buffer.from(answer('a')), 'a.jsonl').attach('answers', Buffer.from(answer('b')), 'b.jsonl').expect(400);
    expect(res.body.error.message).toMatch(/questions/);
  });

  it('no answers part', async () => {
    const res = await multipart().attach('questions', Buffer.from(question), 'q.jsonl').expect(400);
    expect(res.body.error.message).toMatch(/answers/);
  });

  it('a part with another name', async () => {
    const res = await multipart().attach('questions', Buffer.from(question), 'q.jsonl').attach('replies', Buffer.from(answer('a')), 'a.jsonl').expect(400);
    expect(res.body.error.message).toMatch(/"replies"/);
  });

  it('an answer to a question that is not there names the file and line', async () => {
    const res = await multipart()
      .attach('questions', Buffer.from(question), 'q.jsonl')
      .attach('answers', Buffer.from(answer('a')), 'a.jsonl')
      .attach('answers', Buffer.from(answer('b') + '{"question_id": 7, "model_id": "b", "text": "x"}\n'), 'b.jsonl')
      .expect(400);
    expect(res.body.error.details.errors).toMatchObject([{ file: 'b.jsonl', line: 2, message: expect.stringMatching(/7/) }]);
  });
});

describe('who may import where', () => {
  it('an unknown campaign is a 404, a rater gets 403', async () => {
    await upload(t.app, admin, '00000000-0000-4000-8000-000000000000', good(1), ndjson).expect(404);
    const rater = await createUser(t.app, 'RATER', [campaignId]);
    await client(t.app, rater).post(`/api/campaigns/${campaignId}/imports`).set('content-type', ndjson).send(good(1)).expect(403);
  });
});
