// Issue 6's replay: import AlpacaEval annotation slices as shipped pairs, answer every comparison through the
// rater API with the file's GPT-4 preference, and check the leaderboard against Bradley-Terry with ties dropped.
//
// The slices (tests/fixtures/alpaca-eval, 50 records of 4 models) are compared by one reference model,
// text_davinci_003, so the comparison graph is a star and the maximum-likelihood fit has a closed form:
// each model's log-strength relative to the reference is ln(wins / losses), i.e. 400 * log10(wins / losses)
// Elo points; the ratings are then shifted to average 1000. Identical-output pairs are skipped at import,
// and with them every draw of these slices (expectedRatings checks that no other draw is left).
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, createUser, startTestApp, type TestApp, type TestUser } from '../helpers/app';
import { upload } from './import-helpers';

const MODELS = ['alpaca-7b', 'vicuna-13b', 'text_davinci_001', 'gpt4'];

interface AlpacaRecord {
  output_1: string;
  output_2: string;
  generator_1: string;
  generator_2: string;
  preference: string | number | null;
}

const slice = (model: string) => readFileSync(new URL(`../fixtures/alpaca-eval/${model}.slice.json`, import.meta.url));

/** The closed-form star fit from the raw records, independent of the server's code. */
function expectedRatings(files: AlpacaRecord[][]): Map<string, number> {
  const elo = new Map<string, number>();
  let reference: string | null = null;
  for (const records of files) {
    let [wins, losses] = [0, 0];
    for (const r of records) {
      if (r.output_1 === r.output_2 || r.preference === null) continue;
      const p = Number(r.preference);
      if (p !== 1 && p !== 2) throw new Error(`a draw between different outputs (${r.generator_2}): the star fit below would be wrong`);
      if (p === 2) wins++;
      else losses++;
    }
    reference = records[0]!.generator_1;
    elo.set(records[0]!.generator_2, 400 * Math.log10(wins / losses));
  }
  elo.set(reference!, 0);
  const mean = [...elo.values()].reduce((a, b) => a + b, 0) / elo.size;
  return new Map([...elo].map(([model, rating]) => [model, rating - mean + 1000]));
}

describe('AlpacaEval replay through the rater API', () => {
  let t: TestApp;
  let admin: TestUser;
  beforeAll(async () => {
    t = await startTestApp();
    admin = await createUser(t.app, 'ADMIN');
  });
  afterAll(async () => t.close());

  it('gives the Bradley-Terry ratings of the replayed preferences', async () => {
    const campaign = await client(t.app, admin).post('/api/campaigns').send({ name: 'AlpacaEval replay', votesPerComparison: 1 }).expect(201);
    const campaignId: string = campaign.body.id;
    for (const model of MODELS) {
      await upload(t.app, admin, campaignId, slice(model), 'application/json', '?format=alpaca-eval').expect(201);
    }
    const rater = await createUser(t.app, 'RATER', [campaignId]);
    const { prisma } = t.app.ctx.db;

    // One judgment per request: the reply carries the next assignment.
    let queue = (await client(t.app, rater).get(`/api/campaigns/${campaignId}/assignments/next?prefetch=0`).expect(200)).body;
    let replayed = 0;
    while (queue) {
      const { id } = queue.assignment;
      const shown = await prisma.assignment.findUniqueOrThrow({ where: { id }, select: { leftIsA: true, comparison: { select: { referenceChoice: true } } } });
      const reference = shown.comparison.referenceChoice;
      if (reference === null || reference === 'BOTH_BAD') throw new Error(`comparison without a usable preference: ${reference}`);
      const choice = reference === 'TIE' ? 'tie' : (reference === 'A') === shown.leftIsA ? 'left' : 'right';
      const res = await client(t.app, rater).post(`/api/assignments/${id}/judgment`).send({ choice, timeMs: 15_000, idempotencyKey: `replay-${id}` }).expect(200);
      queue = res.body.next;
      replayed++;
    }

    const files = MODELS.map((model) => JSON.parse(slice(model).toString('utf8')) as AlpacaRecord[]);
    const expected = expectedRatings(files);
    const usable = files.flat().filter((r) => r.output_1 !== r.output_2 && r.preference !== null).length;
    expect(replayed).toBe(usable);

    const stats = (await client(t.app, admin).get(`/api/campaigns/${campaignId}/stats?rounds=0`).expect(200)).body;
    expect(stats.progress).toMatchObject({ judgments: usable, complete: usable, comparisons: usable });
    expect(stats.leaderboard).toHaveLength(expected.size);
    for (const row of stats.leaderboard) {
      expect(row).toMatchObject({ estimable: true, ties: 0 });
      expect(Math.abs(row.rating - expected.get(row.model)!)).toBeLessThan(0.05);
    }
  });
});
