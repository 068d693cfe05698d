// Bounded work per import (issue 12, items 1 and 2): caps on responses per prompt and comparisons per
// import checked before anything is paired or staged, reading stops after enough errors or too many
// lines, a second import of the campaign is refused while one runs, and a client that goes away cancels
// its import. Outcomes only: what was answered and what was stored.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, createUser, startTestApp, type TestApp, type TestUser } from '../helpers/app';
import { SESSION_COOKIE } from '../../server/plugins/auth';
import { importPromptSet } from '../../server/services/imports/import-prompt-set';
import { newCampaign, rowCounts, upload } from './import-helpers';

const LIMITS = { IMPORT_MAX_RESPONSES_PER_PROMPT: '50', IMPORT_MAX_COMPARISONS: '1000', IMPORT_MAX_ERRORS: '20', IMPORT_MAX_LINES: '100000' };
const ndjson = 'application/x-ndjson';
const record = (i: number, responses: number) =>
  JSON.stringify({ id: `p${i}`, prompt: `question ${i}`, responses: Array.from({ length: responses }, (_, m) => ({ model: `m${m}`, content: `answer ${m} to ${i}` })) });

let t: TestApp;
let admin: TestUser;
let campaignId: string;
beforeAll(async () => {
  t = await startTestApp({ env: LIMITS });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  admin = await createUser(t.app, 'ADMIN');
  campaignId = await newCampaign(t.app, admin);
});
afterAll(async () => t.close());

/** Into the shared campaign, which no test fills: every upload to it is refused. */
const post = (body: string | Buffer, contentType = ndjson) => upload(t.app, admin, campaignId, body, contentType);

describe('pair explosion', () => {
  it('a line with 20,000 responses is refused before pairing, naming the limit and the line; nothing stored', async () => {
    const before = await rowCounts(t.app);
    const rssBefore = process.memoryUsage().rss;
    const res = await post([record(1, 3), record(2, 20_000)].join('\n')).expect(400);
    expect(res.body.error.code).toBe('IMPORT_INVALID');
    expect(res.body.error.details.errors).toEqual([{ line: 2, message: expect.stringMatching(/^20000 responses to one prompt, more than the limit of 50 \(IMPORT_MAX_RESPONSES_PER_PROMPT\)/) }]);
    expect(await rowCounts(t.app)).toEqual(before);
    // 200 million pairs would need gigabytes; refused before pairing, the line costs a few MB.
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(256 * 1024 * 1024);
  });

  it('comparisons per import: at the cap it imports; one record past it, 400 naming the limit and the line', async () => {
    // 10 responses give 45 pairs: 22 records are 990 comparisons, the 23rd would make 1,035.
    const own = await newCampaign(t.app, admin);
    const ok = await upload(t.app, admin, own, Array.from({ length: 22 }, (_, i) => record(i, 10)).join('\n'), ndjson).expect(201);
    expect(ok.body.comparisons).toBe(990);
    const before = await rowCounts(t.app);
    const res = await post(Array.from({ length: 40 }, (_, i) => record(i, 10)).join('\n')).expect(400);
    expect(res.body.error.details.errors).toEqual([{ line: 23, message: expect.stringContaining('1035 comparisons, more than the limit of 1000 per import (IMPORT_MAX_COMPARISONS)') }]);
    expect(res.body.error.message).toContain('line 23');
    expect(await rowCounts(t.app)).toEqual(before);
  });
});

describe('cheap bytes, expensive work', () => {
  it('reading stops after IMPORT_MAX_ERRORS errors: a gzip of 100,000 "{}" lines', async () => {
    const res = await upload(t.app, admin, campaignId, gzipSync('{}\n'.repeat(100_000)), 'application/gzip', '?format=native').expect(400);
    expect(res.body.error.details.totalErrors).toBe(20);
    expect(res.body.error.message).toMatch(/^The upload has 20 errors \(reading stopped there, at the limit of IMPORT_MAX_ERRORS\)/);
  });

  it('reading stops past IMPORT_MAX_LINES lines, blank ones included: 413', async () => {
    const res = await post(gzipSync('\n'.repeat(150_000)), 'application/gzip').expect(413);
    expect(res.body.error.message).toContain('more than 100000 lines (blank ones count too), the limit of IMPORT_MAX_LINES');
  });

  it('answer files (multipart): the lines of all parts count against IMPORT_MAX_LINES together: 413, nothing stored', async () => {
    const before = await rowCounts(t.app);
    const question = JSON.stringify({ question_id: 'q1', text: 'hi' });
    const answer = (model: string) => JSON.stringify({ question_id: 'q1', model_id: model, text: `hello from ${model}` });
    // 60,000 lines per part: each part is under the limit of 100,000, the upload is over it.
    const res = await client(t.app, admin)
      .post(`/api/campaigns/${campaignId}/imports?format=answer-files`)
      .attach('questions', Buffer.from(question + '\n'.repeat(60_000)), 'questions.jsonl')
      .attach('answers', Buffer.from(answer('a') + '\n'.repeat(60_000)), 'a.jsonl')
      .expect(413);
    expect(res.body.error).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', message: expect.stringContaining('more than 100000 lines (blank ones count too), the limit of IMPORT_MAX_LINES') });
    expect(await rowCounts(t.app)).toEqual(before);
  });

  it('a second import of the campaign is refused while one runs; the client going away cancels the running one', async () => {
    const campaignId = await newCampaign(t.app, admin);
    const importId = randomUUID();
    const { port } = t.app.server.address() as AddressInfo;
    // One good record, then the body stays open: the import runs until its client goes away.
    const slow = http.request({
      host: '127.0.0.1',
      port,
      method: 'POST',
      path: `/api/campaigns/${campaignId}/imports?importId=${importId}`,
      headers: { 'content-type': ndjson, origin: t.app.ctx.config.publicUrl, cookie: `${SESSION_COOKIE}=${admin.session}`, 'transfer-encoding': 'chunked' },
    });
    slow.on('error', () => {});
    slow.write(record(1, 3) + '\n');
    const status = () => client(t.app, admin).get(`/api/imports/${importId}`);
    while ((await status()).status !== 200);

    const second = await upload(t.app, admin, campaignId, record(2, 3), ndjson).expect(409);
    expect(second.body.error).toMatchObject({ code: 'IMPORT_RUNNING', message: expect.stringContaining(`Another import into this campaign is running (${importId})`) });

    slow.destroy();
    let row = (await status()).body;
    while (row.status === 'RUNNING') row = (await status()).body;
    expect(row).toMatchObject({ status: 'FAILED', errors: { errors: [{ message: 'the import was cancelled: the client disconnected before it finished' }] } });
    await upload(t.app, admin, campaignId, record(3, 3), ndjson).expect(201);
  });

  it('an upload that never runs dry (a gzip bomb inflating) stops once its signal is aborted', async () => {
    const campaignId = await newCampaign(t.app, admin);
    const controller = new AbortController();
    const blank = new Uint8Array(64 * 1024).fill(0x0a);
    let chunks = 0;
    // Endless blank lines, always ready, with no line cap: only the signal can stop it.
    async function* endless() {
      for (;;) {
        chunks += 1;
        if (chunks === 20) controller.abort('the client disconnected before it finished');
        yield blank;
      }
    }
    const ctx = { ...t.app.ctx, config: { ...t.app.ctx.config, import: { ...t.app.ctx.config.import, maxLines: Number.MAX_SAFE_INTEGER } } };
    const importId = randomUUID();
    const run = importPromptSet(ctx, {
      campaignId,
      actor: 'system',
      importId,
      format: 'auto',
      keepFilePairs: false,
      source: { kind: 'body', stream: endless(), contentType: ndjson },
      signal: controller.signal,
    });
    await expect(run).rejects.toMatchObject({ code: 'IMPORT_CANCELLED' });
    expect(chunks).toBeLessThan(30);
    const row = (await client(t.app, admin).get(`/api/imports/${importId}`).expect(200)).body;
    expect(row).toMatchObject({ status: 'FAILED', errors: { errors: [{ message: 'the import was cancelled: the client disconnected before it finished' }] } });
  }, 60_000);
});

describe('gzip: the inflated bytes have their own limit (IMPORT_MAX_INFLATED_BYTES), apart from the bytes received', () => {
  let small: TestApp;
  let smallAdmin: TestUser;
  beforeAll(async () => {
    small = await startTestApp({ env: { IMPORT_MAX_UPLOAD_BYTES: String(64 * 1024), IMPORT_MAX_INFLATED_BYTES: String(1024 * 1024) } });
    smallAdmin = await createUser(small.app, 'ADMIN');
  });
  afterAll(async () => small.close());

  it('a gzip of blank lines inflating past the limit answers 413 naming IMPORT_MAX_INFLATED_BYTES; nothing stored', async () => {
    const bomb = gzipSync('\n'.repeat(4 * 1024 * 1024));
    expect(bomb.length).toBeLessThan(64 * 1024);
    const campaign = await newCampaign(small.app, smallAdmin);
    const before = await rowCounts(small.app);
    const res = await upload(small.app, smallAdmin, campaign, bomb, 'application/gzip').expect(413);
    expect(res.body.error).toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
      message: expect.stringContaining('inflates to more than 1048576 bytes, the limit of IMPORT_MAX_INFLATED_BYTES'),
    });
    expect(await rowCounts(small.app)).toEqual(before);
  });

  it('a gzip under the upload limit that inflates past it (but under the inflated limit) imports', async () => {
    const body = Array.from({ length: 1500 }, (_, i) => record(i, 2)).join('\n');
    expect(body.length).toBeGreaterThan(64 * 1024);
    const zipped = gzipSync(body);
    expect(zipped.length).toBeLessThan(64 * 1024);
    const campaign = await newCampaign(small.app, smallAdmin);
    const res = await upload(small.app, smallAdmin, campaign, zipped, 'application/gzip').expect(201);
    expect(res.body).toMatchObject({ prompts: 1500, comparisons: 1500 });
  });
});
