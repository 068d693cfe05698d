// Running an import, called as a service (no HTTP): a good file is published with its comparisons; an
// import id used before, an import already running, a bad file and a cancelled upload each store nothing;
// an import abandoned by a stopped server is cleaned up before the next one; a dry run stores nothing.
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceContext } from '../../../server/services/context';
import { checkPromptSet, importPromptSet, type ImportRequest } from '../../../server/services/imports/import-prompt-set';
import { createImport, seedComparisons } from '../../../testkit/factory';
import { startTestApp, type TestApp } from '../../helpers/app';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t?.close());

const record = (id: number) => JSON.stringify({ id, prompt: `Question ${id}?`, responses: [{ model: 'a', content: `a says ${id}` }, { model: 'b', content: `b says ${id}` }, { model: 'c', content: `c says ${id}` }] });
const GOOD = [1, 2].map(record).join('\n') + '\n';

function request(campaignId: string, text: string, extra: Partial<ImportRequest> = {}): ImportRequest {
  return {
    campaignId,
    actor: 'system',
    format: 'native',
    keepFilePairs: false,
    source: { kind: 'body', stream: Readable.from([Buffer.from(text)]), contentType: 'application/x-ndjson' },
    ...extra,
  };
}

/** An empty campaign (no comparisons of its own). */
const emptyCampaign = async () => (await seedComparisons(t.app.ctx.db.prisma, { prompts: 0 })).campaignId;

async function rowsOf(campaignId: string) {
  const { prisma } = t.app.ctx.db;
  const where = { campaignId };
  return { prompts: await prisma.prompt.count({ where }), responses: await prisma.response.count({ where }), comparisons: await prisma.comparison.count({ where }) };
}

describe('importPromptSet', () => {
  it('publishes a good file with every pair of each prompt as a comparison', async () => {
    const campaignId = await emptyCampaign();
    const importId = randomUUID();
    const result = await importPromptSet(t.app.ctx, request(campaignId, GOOD, { importId }));
    expect(result).toMatchObject({ importId, format: 'native', records: 2, prompts: 2, responses: 6, comparisons: 6, gold: 0 });
    expect(await rowsOf(campaignId)).toEqual({ prompts: 2, responses: 6, comparisons: 6 });
    expect(await t.app.ctx.db.prisma.import.findUniqueOrThrow({ where: { id: importId }, select: { status: true } })).toEqual({ status: 'PUBLISHED' });
  });

  it('refuses an import id used before (IMPORT_ID_TAKEN) and an import beside a running one (IMPORT_RUNNING)', async () => {
    const campaignId = await emptyCampaign();
    const importId = randomUUID();
    await importPromptSet(t.app.ctx, request(campaignId, GOOD, { importId }));
    await expect(importPromptSet(t.app.ctx, request(campaignId, GOOD, { importId }))).rejects.toMatchObject({ code: 'IMPORT_ID_TAKEN' });

    const busy = await emptyCampaign();
    const running = await createImport(t.app.ctx.db.prisma, busy, 'RUNNING');
    await expect(importPromptSet(t.app.ctx, request(busy, GOOD))).rejects.toMatchObject({ code: 'IMPORT_RUNNING', details: { importId: running } });
    expect(await rowsOf(busy)).toEqual({ prompts: 0, responses: 0, comparisons: 0 });
  });

  it('cleans up an import whose server stopped (no heartbeat) before starting the next', async () => {
    const campaignId = await emptyCampaign();
    const stale = await createImport(t.app.ctx.db.prisma, campaignId, 'RUNNING');
    const anHourLater: ServiceContext = { ...t.app.ctx, clock: { now: () => new Date(Date.now() + 3_600_000) } };
    await importPromptSet(anHourLater, request(campaignId, GOOD));
    expect(await t.app.ctx.db.prisma.import.findUnique({ where: { id: stale }, select: { status: true } })).not.toEqual({ status: 'RUNNING' });
    expect(await rowsOf(campaignId)).toEqual({ prompts: 2, responses: 6, comparisons: 6 });
  });

  it('stores nothing from a file with a bad record, and says which line (IMPORT_INVALID)', async () => {
    const campaignId = await emptyCampaign();
    const bad = GOOD + '{"id": 3, "prompt": "no responses field"\n';
    await expect(importPromptSet(t.app.ctx, request(campaignId, bad))).rejects.toMatchObject({ code: 'IMPORT_INVALID', details: { errors: [expect.objectContaining({ line: 3 })] } });
    expect(await rowsOf(campaignId)).toEqual({ prompts: 0, responses: 0, comparisons: 0 });
  });

  it('stores nothing when the upload is cancelled (IMPORT_CANCELLED)', async () => {
    const campaignId = await emptyCampaign();
    const controller = new AbortController();
    async function* trickle() {
      yield Buffer.from(record(1) + '\n');
      controller.abort();
      yield Buffer.from(record(2) + '\n');
    }
    const cancelled = request(campaignId, '', { signal: controller.signal, source: { kind: 'body', stream: trickle(), contentType: 'application/x-ndjson' } });
    await expect(importPromptSet(t.app.ctx, cancelled)).rejects.toMatchObject({ code: 'IMPORT_CANCELLED' });
    expect(await rowsOf(campaignId)).toEqual({ prompts: 0, responses: 0, comparisons: 0 });
  });

  it('a dry run answers the same counts and stores nothing', async () => {
    const campaignId = await emptyCampaign();
    const check = await checkPromptSet(t.app.ctx, request(campaignId, GOOD));
    expect(check).toMatchObject({ dryRun: true, records: 2, prompts: 2, responses: 6, comparisons: 6 });
    expect(await rowsOf(campaignId)).toEqual({ prompts: 0, responses: 0, comparisons: 0 });
  });
});
