// Slices of the real public corpora (tests/fixtures/import-real, see its SOURCE.txt) imported through the API:
// the counts are worked out here from the files themselves, and the stored rows checked in SQL.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, createUser, startTestApp, type TestApp, type TestUser } from '../helpers/app';
import { newCampaign, upload, uploadAnswerFiles } from './import-helpers';

const dir = (name: string) => path.join(__dirname, '../fixtures/import-real', name);
const jsonl = (file: string) =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Record<string, unknown>);
const blank = (text: unknown) => typeof text !== 'string' || text.trim() === '';

let t: TestApp;
let admin: TestUser;
beforeAll(async () => {
  t = await startTestApp();
  admin = await createUser(t.app, 'ADMIN');
});
afterAll(async () => t.close());

/** Comparisons of a campaign with the models of their A and B responses, as stored. */
async function storedComparisons(campaignId: string) {
  return t.app.ctx.db.prisma.comparison.findMany({
    where: { campaignId },
    select: {
      target: true,
      isGold: true,
      referenceChoice: true,
      referenceSource: true,
      prompt: { select: { externalId: true, context: true } },
      responseA: { select: { model: true, content: true } },
      responseB: { select: { model: true, content: true } },
    },
  });
}

describe('vicuna-eval-2023 as answer files (FastChat tables)', () => {
  const root = dir('vicuna-eval-2023');
  const questions = jsonl(`${root}/question.jsonl`);
  const answers = readdirSync(`${root}/answer`).flatMap((name) => jsonl(`${root}/answer/${name}`));
  const usable = questions.filter((q) => !answers.some((a) => a.question_id === q.question_id && blank(a.text)));
  const models = new Set(answers.map((a) => a.model_id)).size;

  it('imports every question whose answers are all non-blank, all pairs of the five models, and a second time nothing', async () => {
    const campaignId = await newCampaign(t.app, admin);
    const first = await uploadAnswerFiles(t.app, admin, campaignId, `${root}/question.jsonl`, `${root}/answer`).expect(201);
    expect(first.body).toMatchObject({
      prompts: usable.length,
      responses: usable.length * models,
      comparisons: (usable.length * models * (models - 1)) / 2,
      gold: 0,
      // A multipart upload asked as "auto" is read as answer files, and says so.
      format: 'answer-files',
    });
    const skippedTotal = Object.values(first.body.skipped as Record<string, number>).reduce((a, b) => a + b, 0);
    expect(skippedTotal).toBe(questions.length - usable.length);

    const again = await uploadAnswerFiles(t.app, admin, campaignId, `${root}/question.jsonl`, `${root}/answer`, '?format=answer-files').expect(201);
    expect(again.body).toMatchObject({ prompts: 0, responses: 0, comparisons: 0, gold: 0 });

    const campaign = await client(t.app, admin).get(`/api/campaigns/${campaignId}`).expect(200);
    expect(campaign.body.counts).toEqual({
      prompts: usable.length,
      awaitingResponses: 0,
      responses: usable.length * models,
      models,
      comparisons: first.body.comparisons,
      gold: 0,
      referenceLabels: 0,
      rankingTasks: 0,
      judgments: 0,
    });
    const stored = await storedComparisons(campaignId);
    expect(stored.every((c) => c.target === 3 && !c.isGold && c.referenceChoice === null)).toBe(true);
  });
});

describe('arena-hard-v0.1 as answer files ({answer} objects as assistant content)', () => {
  const root = dir('arena-hard-v0.1');
  const questions = jsonl(`${root}/question.jsonl`);
  const answerFiles = readdirSync(`${root}/model_answer`);

  it('stores each model’s answer text under the question uid', async () => {
    const campaignId = await newCampaign(t.app, admin, { votesPerComparison: 5 });
    const res = await uploadAnswerFiles(t.app, admin, campaignId, `${root}/question.jsonl`, `${root}/model_answer`).expect(201);
    const n = answerFiles.length;
    expect(res.body).toMatchObject({ prompts: questions.length, responses: questions.length * n, comparisons: (questions.length * n * (n - 1)) / 2 });

    const sample = jsonl(`${root}/model_answer/${answerFiles[0]}`)[3]! as { uid: string; model: string; messages: { content: unknown }[] };
    const response = await t.app.ctx.db.prisma.response.findFirst({
      where: { campaignId, model: sample.model, prompt: { key: sample.uid } },
      select: { content: true, prompt: { select: { context: true } } },
    });
    expect(response?.content).toBe((sample.messages.at(-1)!.content as { answer: string }).answer);
    const question = questions.find((q) => q.uid === sample.uid)!;
    expect(response?.prompt.context).toEqual([{ role: 'user', content: question.prompt }]);
    expect((await storedComparisons(campaignId)).every((c) => c.target === 5)).toBe(true);
  });
});

describe('alpaca_eval_v1_annotations, each file (JSON arrays with GPT-4 preferences)', () => {
  const root = dir('alpaca_eval_v1_annotations');
  const files = readdirSync(root).filter((name) => name.endsWith('.json'));

  it.each(files)('%s: pairs kept, identical outputs skipped, the judge’s preference kept as a reference label', async (name) => {
    const records = JSON.parse(readFileSync(`${root}/${name}`, 'utf8')) as Record<string, string | number | null>[];
    const empty = records.filter((r) => blank(r.output_1) || blank(r.output_2));
    const identical = records.filter((r) => !empty.includes(r) && r.output_1 === r.output_2);
    const kept = records.filter((r) => !empty.includes(r) && !identical.includes(r));
    const campaignId = await newCampaign(t.app, admin);
    const res = await upload(t.app, admin, campaignId, readFileSync(`${root}/${name}`), 'application/json').expect(201);
    const skipped = { ...(identical.length ? { identicalPair: identical.length } : {}), ...(empty.length ? { emptyResponse: empty.length } : {}) };
    expect(res.body).toMatchObject({ prompts: kept.length, responses: 2 * kept.length, comparisons: kept.length, gold: 0, skipped });

    const stored = await storedComparisons(campaignId);
    for (const record of kept) {
      const comparison = stored.find((c) => (c.prompt.context as { content: string }[])[0]!.content === record.instruction)!;
      const pref = Number(record.preference ?? NaN);
      const winner = pref === 1 ? record.generator_1 : pref === 2 ? record.generator_2 : null;
      const expected = winner === null ? (pref === 0 ? 'TIE' : null) : comparison.responseA.model === winner ? 'A' : 'B';
      expect(comparison.referenceChoice).toBe(expected);
      if (expected) expect(comparison.referenceSource).toBe(`alpaca-eval:${record.annotator}`);
    }
  });

  it('stores A/B in the canonical order, not the file’s: output_1 is not always A', async () => {
    const campaignId = await newCampaign(t.app, admin);
    await upload(t.app, admin, campaignId, readFileSync(`${root}/${files[0]}`), 'application/json').expect(201);
    const stored = await storedComparisons(campaignId);
    const firstIsA = stored.filter((c) => c.responseA.model === 'text_davinci_003').length;
    expect(firstIsA).toBeGreaterThan(0);
    expect(firstIsA).toBeLessThan(stored.length);
  });
});

describe('alpaca_eval_v1 text_davinci_001 in full: two empty output_2, skipped by default, kept with emptyResponses=keep', () => {
  const gz = readFileSync(path.join(__dirname, '../fixtures/alpaca-eval/text_davinci_001.json.gz'));
  const records = JSON.parse(gunzipSync(gz).toString('utf8')) as Record<string, string | number | null>[];
  const identical = records.filter((r) => r.output_1 === r.output_2).length;
  const empty = records.filter((r) => r.output_1 !== r.output_2 && (blank(r.output_1) || blank(r.output_2)));

  it('imports the 783 others by default, the 2 empty ones too when asked, also into the same campaign afterwards', async () => {
    expect([records.length, identical, empty.length]).toEqual([805, 20, 2]);
    expect(empty.map((r) => Number(r.preference))).toEqual([1, 1]);
    const campaignId = await newCampaign(t.app, admin);
    const skip = await upload(t.app, admin, campaignId, gz, 'application/gzip', '?fileName=alpaca_eval_gpt4.json.gz').expect(201);
    expect(skip.body).toMatchObject({ comparisons: 783, skipped: { identicalPair: identical, emptyResponse: 2 } });
    // The reply names the format recognised from the content (asked: auto), the file, and the skips in words with their codes.
    expect(skip.body).toMatchObject({ format: 'alpaca-eval', fileName: 'alpaca_eval_gpt4.json.gz' });
    expect(skip.body.skipReasons).toEqual([
      { reason: 'identicalPair', count: 20, text: '20 records with two identical responses' },
      { reason: 'emptyResponse', count: 2, text: '2 records with an empty response' },
    ]);
    // The campaign counts the comparisons that carry the file's label (AlpacaEval's preference), none of them a judgment.
    const campaign = await client(t.app, admin).get(`/api/campaigns/${campaignId}`).expect(200);
    const labelled = records.filter((r) => r.output_1 !== r.output_2 && !blank(r.output_1) && !blank(r.output_2) && r.preference !== null).length;
    expect(campaign.body.counts).toMatchObject({ comparisons: 783, referenceLabels: labelled, judgments: 0 });
    expect(labelled).toBeGreaterThan(700);
    // The history says the same.
    const history = await client(t.app, admin).get(`/api/campaigns/${campaignId}/imports`).expect(200);
    expect(history.body.imports[0]).toMatchObject({ format: 'alpaca-eval', fileName: 'alpaca_eval_gpt4.json.gz', result: { skipReasons: skip.body.skipReasons } });
    // Importing again with keep adds exactly the two records the first import left out.
    const again = await upload(t.app, admin, campaignId, gz, 'application/gzip', '?emptyResponses=keep').expect(201);
    expect(again.body).toMatchObject({ prompts: 2, responses: 4, comparisons: 2, skipped: { identicalPair: identical } });

    const fresh = await newCampaign(t.app, admin);
    const keep = await upload(t.app, admin, fresh, gz, 'application/gzip', '?format=alpaca-eval&emptyResponses=keep').expect(201);
    expect(keep.body).toMatchObject({ comparisons: 785, skipped: { identicalPair: identical } });
    expect(keep.body.skipped).not.toHaveProperty('emptyResponse');
    const stored = (await storedComparisons(fresh)).filter((c) => c.responseA.content === '' || c.responseB.content === '');
    expect(stored.map((c) => (c.prompt.context as { content: string }[])[0]!.content).sort()).toEqual(empty.map((r) => r.instruction).sort());
    // Preference 1: text_davinci_003 (output_1) beat the empty answer.
    for (const c of stored) expect(c.referenceChoice).toBe(c.responseA.model === 'text_davinci_003' ? 'A' : 'B');
  });
});

describe('hh-rlhf-harmless-base-test (gzip, {chosen, rejected} transcripts)', () => {
  const gz = readFileSync(dir('hh-rlhf-harmless-base-test/test.jsonl.gz'));
  const rows = gunzipSync(gz)
    .toString('utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as { chosen: string; rejected: string });
  // The shared context ends where the two transcripts' last "\n\nAssistant: " turns begin.
  const lastTurn = (text: string) => text.lastIndexOf('\n\nAssistant: ');
  const divergent = rows.filter((r) => r.chosen.slice(0, lastTurn(r.chosen)) !== r.rejected.slice(0, lastTurn(r.rejected)));
  const empty = rows.filter((r) => !divergent.includes(r) && [r.chosen, r.rejected].some((x) => x.slice(lastTurn(x) + 13).trim() === ''));
  const kept = rows.filter((r) => !divergent.includes(r) && !empty.includes(r));
  const contexts = new Set(kept.map((r) => r.chosen.slice(0, lastTurn(r.chosen))));

  it('imports the gzip body, skips divergent and empty ones, keeps "chosen" as a reference label, never as a judgment', async () => {
    expect(divergent.length).toBeGreaterThan(0);
    expect(empty.length).toBeGreaterThan(0);
    const campaignId = await newCampaign(t.app, admin);
    const res = await upload(t.app, admin, campaignId, gz, 'application/gzip').expect(201);
    // Transcripts with the same context are one prompt: its responses are keyed by (prompt, model).
    expect(res.body).toMatchObject({
      records: kept.length,
      prompts: contexts.size,
      responses: 2 * contexts.size,
      comparisons: contexts.size,
      skipped: { divergentContext: divergent.length, emptyResponse: empty.length },
    });
    const stored = await storedComparisons(campaignId);
    for (const c of stored) {
      const chosen = c.referenceChoice === 'A' ? c.responseA : c.responseB;
      expect(chosen.model).toBe('hh-rlhf:chosen');
      expect(c.referenceSource).toBe('hh-rlhf');
    }
    expect(new Set(stored.map((c) => c.referenceChoice))).toEqual(new Set(['A', 'B']));
    expect(await t.app.ctx.db.prisma.judgment.count()).toBe(0);
  });
});
