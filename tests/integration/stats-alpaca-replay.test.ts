// Replay: import AlpacaEval annotation files as shipped pairs, answer every comparison through the
// rater API with the file's GPT-4 preference (several raters at once, k = 1), and check the leaderboard.
//
// The files are imported with emptyResponses=keep: an empty output is a model's answer, and the published fit
// counts those battles. Identical-output pairs are skipped at import, and with them every AlpacaEval draw; a
// record without a preference (one in text_davinci_001) is imported and passed on by every rater. Two checks:
// - slices (tests/fixtures/alpaca-eval/*.slice.json, the first 50 records of 4 files), always: every battle is
//   against one reference model, text_davinci_003, so the comparison graph is a star and the maximum-likelihood
//   fit has a closed form: each model's log-strength relative to the reference is ln(wins / losses), i.e.
//   400 * log10(wins / losses) Elo points; the ratings are then shifted to average 1000.
// - all six files (gzipped as shipped, 4,772 comparisons imported, 4,771 battles judged), on Postgres only (CI;
//   DATABASE_URL set): every model against bt_ties_dropped of the corpus's expected_bt.json and the star's closed
//   form. On PGlite its 4,772 round trips took 470 s on a loaded 2-core machine (one query at a time), far beyond
//   a default test run.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, createUser, startTestApp, type TestApp, type TestUser } from '../helpers/app';
import { activateCampaign, upload } from './import-helpers';

const SLICES = ['alpaca-7b', 'vicuna-13b', 'text_davinci_001', 'gpt4'];
const FILES = ['alpaca-7b', 'alpaca-farm-ppo-human', 'claude', 'gpt4', 'text_davinci_001', 'vicuna-13b'];
const RATERS = 4;

interface AlpacaRecord {
  output_1: string;
  output_2: string;
  generator_1: string;
  generator_2: string;
  preference: string | number | null;
}

interface LeaderboardRow {
  model: string;
  rating: number;
}

/** The import (emptyResponses=keep) skips identical-output pairs only. */
const imported = (r: AlpacaRecord) => r.output_1 !== r.output_2;

const fixture = (name: string) => readFileSync(new URL(`../fixtures/alpaca-eval/${name}`, import.meta.url));

/** The closed-form star fit from the raw records, independent of the server's code. */
function expectedRatings(files: AlpacaRecord[][]): Map<string, number> {
  const elo = new Map<string, number>();
  let reference: string | null = null;
  for (const records of files) {
    let [wins, losses] = [0, 0];
    for (const r of records) {
      if (!imported(r) || r.preference === null) continue;
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

  /** One rater's loop, one request per judgment (the reply carries the next assignment); returns how many it judged. */
  async function replayAs(campaignId: string, rater: TestUser): Promise<number> {
    const { prisma } = t.app.ctx.db;
    const next = async () => {
      const res = await client(t.app, rater).get(`/api/campaigns/${campaignId}/assignments/next?prefetch=0`);
      return res.status === 204 ? null : (res.body as { assignment: { id: string } });
    };
    let queue = await next();
    let judged = 0;
    while (queue) {
      const { id } = queue.assignment;
      const shown = await prisma.assignment.findUniqueOrThrow({ where: { id }, select: { leftIsA: true, comparison: { select: { referenceChoice: true } } } });
      const reference = shown.comparison.referenceChoice;
      let reply;
      if (reference === null) {
        reply = await client(t.app, rater).post(`/api/assignments/${id}/skip`).expect(200);
      } else {
        if (reference !== 'A' && reference !== 'B') throw new Error(`a draw between different outputs (${reference}): the expected ratings drop none`);
        const choice = (reference === 'A') === shown.leftIsA ? 'left' : 'right';
        reply = await client(t.app, rater).post(`/api/assignments/${id}/judgment`).send({ choice, timeMs: 15_000, idempotencyKey: `replay-${id}` }).expect(200);
        judged++;
      }
      // The reply's queue is empty when nothing is free right now; ask once more before stopping.
      queue = reply.body.next ?? (await next());
    }
    return judged;
  }

  /** Imports the files into a new k = 1 campaign, replays them with several raters, and returns the records and the stats. */
  async function importAndReplay(files: Buffer[], contentType: string) {
    const campaign = await client(t.app, admin).post('/api/campaigns').send({ name: `AlpacaEval replay ${files.length}`, votesPerComparison: 1 }).expect(201);
    const campaignId: string = campaign.body.id;
    for (const file of files) await upload(t.app, admin, campaignId, file, contentType, '?format=alpaca-eval&emptyResponses=keep').expect(201);
    await activateCampaign(t.app, admin, campaignId);
    const raters = await Promise.all(Array.from({ length: RATERS }, () => createUser(t.app, 'RATER', [campaignId])));
    const judged = (await Promise.all(raters.map((rater) => replayAs(campaignId, rater)))).reduce((a, b) => a + b, 0);
    const records = files.map((file) => JSON.parse((contentType === 'application/gzip' ? gunzipSync(file) : file).toString('utf8')) as AlpacaRecord[]);
    const kept = records.flat().filter(imported);
    const usable = kept.filter((r) => r.preference !== null).length;
    expect(judged).toBe(usable);
    const stats = (await client(t.app, admin).get(`/api/campaigns/${campaignId}/stats?rounds=0`).expect(200)).body;
    expect(stats.progress).toMatchObject({ judgments: usable, complete: usable, comparisons: kept.length });
    for (const row of stats.leaderboard) expect(row).toMatchObject({ estimable: true, ties: 0 });
    return { records, usable, leaderboard: stats.leaderboard as LeaderboardRow[] };
  }

  /** The rating of every model of `expected` within 0.05 Elo of it, after aligning the offset over those models. */
  function expectRatings(leaderboard: LeaderboardRow[], expected: Map<string, number>): void {
    const rows = leaderboard.filter((row) => expected.has(row.model));
    expect(rows).toHaveLength(expected.size);
    const shift = rows.reduce((sum, row) => sum + expected.get(row.model)! - row.rating, 0) / rows.length;
    for (const row of rows) expect(Math.abs(row.rating + shift - expected.get(row.model)!), row.model).toBeLessThan(0.05);
  }

  it('gives the closed-form Bradley-Terry ratings of replayed slices', async () => {
    const { records, leaderboard } = await importAndReplay(SLICES.map((model) => fixture(`${model}.slice.json`)), 'application/json');
    expectRatings(leaderboard, expectedRatings(records));
  }, 180_000); // PGlite: 23 s alone at load 13, 43 s in CI beside another file (the default 60 s was too close)

  it.runIf(process.env.DATABASE_URL)('gives the published Bradley-Terry ratings (ties dropped) of all six files', async () => {
    const published = JSON.parse(fixture('expected_bt.json').toString('utf8')) as {
      bt_ties_dropped: { n_battles_used: number; ratings: Record<string, { rating: number }> };
    };
    const { records, usable, leaderboard } = await importAndReplay(FILES.map((model) => fixture(`${model}.json.gz`)), 'application/gzip');
    expect(leaderboard.map((row) => row.model).sort()).toEqual(Object.keys(published.bt_ties_dropped.ratings).sort());
    // The two text_davinci_001 battles with an empty output_2 are among them, as in the published fit.
    const empty = records.flat().filter((r) => imported(r) && r.preference !== null && (r.output_1.trim() === '' || r.output_2.trim() === ''));
    expect(empty.map((r) => r.generator_2)).toEqual(['text_davinci_001', 'text_davinci_001']);
    expect(usable).toBe(published.bt_ties_dropped.n_battles_used);
    expectRatings(leaderboard, new Map(Object.entries(published.bt_ties_dropped.ratings).map(([model, r]) => [model, r.rating])));
    // And against the star's closed form over the battles imported.
    expectRatings(leaderboard, expectedRatings(records));
  }, 900_000);
});
