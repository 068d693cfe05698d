// Issue 17's replay: the 100 OASST trees imported as ranking tasks (K = 4), three simulated raters giving the
// published order through the rater API, then the leaderboard and the ranking export checked against what the
// corpus file's ranks give, computed here without the server's code (the tasks' slots are read from the database).
import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TAssignmentQueue } from '../../server/contract/rater';
import { client, createUser, startTestApp, type TestApp, type TestUser } from '../helpers/app';
import { download, exportPath } from '../helpers/export-download';
import { activateCampaign, newCampaign, upload } from './import-helpers';

const corpus = readFileSync(new URL('../fixtures/import/oasst/en_100_tree.jsonl', import.meta.url));

interface Message {
  message_id: string;
  role: string;
  rank?: number | null;
  model_name?: string | null;
  replies?: Message[];
}

/** Every assistant reply of the corpus by message id: its published rank and model label (model_name, else human). */
function publishedReplies(file: Buffer): Map<string, { rank: number | null; model: string }> {
  const replies = new Map<string, { rank: number | null; model: string }>();
  const walk = (message: Message) => {
    for (const reply of message.replies ?? []) {
      if (reply.role === 'assistant') replies.set(reply.message_id, { rank: reply.rank ?? null, model: reply.model_name ?? 'human' });
      walk(reply);
    }
  };
  for (const line of file.toString('utf8').split('\n').filter(Boolean)) walk((JSON.parse(line) as { prompt: Message }).prompt);
  return replies;
}

/**
 * The corpus with every assistant reply labelled model-a or model-b by its message id's hash: OASST's siblings share
 * one author label, so only relabelled do the published ranks decide between models and make a leaderboard.
 */
function relabelled(file: Buffer): Buffer {
  const relabel = (message: Message): Message => ({
    ...message,
    ...(message.role === 'assistant' ? { model_name: createHash('sha256').update(message.message_id).digest()[0]! % 2 ? 'model-a' : 'model-b' } : {}),
    replies: message.replies?.map(relabel),
  });
  const lines = file.toString('utf8').split('\n').filter(Boolean).map((line) => {
    const tree = JSON.parse(line) as { prompt: Message };
    return JSON.stringify({ ...tree, prompt: relabel(tree.prompt) });
  });
  return Buffer.from(lines.join('\n') + '\n');
}

/** A replay's campaign: its tasks (each task's replies in slot order, a pair's A then B, as message ids) and judgments made. */
interface Replay {
  campaignId: string;
  tasks: { id: number; messages: string[] }[];
  judgments: number;
  asOf: string;
}

/** Imports `file` into a ranking campaign of K = 4 and has three raters give the published order of every task. */
async function replay(t: TestApp, admin: TestUser, file: Buffer): Promise<Replay> {
  const published = publishedReplies(file);
  const campaignId = await newCampaign(t.app, admin, { design: { task: { type: 'ranking', size: 4 } } });
  await upload(t.app, admin, campaignId, file, 'application/x-ndjson').expect(201);
  await activateCampaign(t.app, admin, campaignId);
  const { prisma } = t.app.ctx.db;
  const keyOf = new Map((await prisma.response.findMany({ where: { campaignId }, select: { id: true, key: true } })).map((r) => [r.id, r.key.replace(/^id:/, '')]));
  const stored = await prisma.comparison.findMany({ where: { campaignId }, select: { id: true, slots: true, responseAId: true, responseBId: true }, orderBy: { id: 'asc' } });
  const tasks = stored.map((c) => ({ id: c.id, messages: (c.slots.length > 0 ? c.slots : [c.responseAId, c.responseBId]).map((id) => keyOf.get(id)!) }));
  const taskOf = new Map(tasks.map((task) => [task.id, task]));
  const rankOf = (message: string) => published.get(message)!.rank!;
  let judgments = 0;
  for (let r = 0; r < 3; r++) {
    const rater = await createUser(t.app, 'RATER', [campaignId]);
    let queue: TAssignmentQueue | null = (await client(t.app, rater).get(`/api/campaigns/${campaignId}/assignments/next`).expect(200)).body;
    while (queue) {
      // The simulated rater knows the published ranks; which card or side holds which reply is read from the database.
      const assignment = await prisma.assignment.findUniqueOrThrow({ where: { id: queue.assignment.id }, select: { comparisonId: true, shownOrder: true, leftIsA: true } });
      const task = taskOf.get(assignment.comparisonId)!;
      const answer = queue.assignment.responses
        ? { ranking: [...assignment.shownOrder.keys()].sort((x, y) => rankOf(task.messages[assignment.shownOrder[x]!]!) - rankOf(task.messages[assignment.shownOrder[y]!]!)).map((card) => [card]) }
        : { choice: (rankOf(task.messages[0]!) < rankOf(task.messages[1]!)) === assignment.leftIsA ? 'left' : 'right' };
      const res = await client(t.app, rater).post(`/api/assignments/${queue.assignment.id}/judgment`).send({ ...answer, timeMs: 5000, idempotencyKey: randomUUID() }).expect(200);
      judgments++;
      queue = res.body.next;
    }
  }
  return { campaignId, tasks, judgments, asOf: new Date().toISOString() };
}

/** Wins and losses per model over every pair of a task's replies by different models, by published rank, three raters over. */
function expectedTally(tasks: Replay['tasks'], published: ReturnType<typeof publishedReplies>): Map<string, { wins: number; losses: number }> {
  const tally = new Map<string, { wins: number; losses: number }>();
  const add = (model: string, won: boolean) => {
    const row = tally.get(model) ?? { wins: 0, losses: 0 };
    if (won) row.wins += 3;
    else row.losses += 3;
    tally.set(model, row);
  };
  for (const task of tasks) {
    for (let a = 0; a < task.messages.length; a++) {
      for (let b = a + 1; b < task.messages.length; b++) {
        const [x, y] = [published.get(task.messages[a]!)!, published.get(task.messages[b]!)!];
        if (x.model === y.model) continue;
        add(x.model, x.rank! < y.rank!);
        add(y.model, y.rank! < x.rank!);
      }
    }
  }
  return tally;
}

describe('replaying the OASST published ranks through the rater API', () => {
  let t: TestApp;
  let admin: TestUser;
  let oasst: Replay;
  let labelled: Replay;
  const published = publishedReplies(corpus);
  const labelledCorpus = relabelled(corpus);

  beforeAll(async () => {
    t = await startTestApp();
    admin = await createUser(t.app, 'ADMIN');
    oasst = await replay(t, admin, corpus);
    labelled = await replay(t, admin, labelledCorpus);
  }, 1_800_000);
  afterAll(async () => t.close());

  it('judges every task three times: 224 tasks (167 rankings, 57 pairs), 672 judgments', () => {
    for (const run of [oasst, labelled]) {
      expect(run.tasks).toHaveLength(224);
      expect(run.tasks.filter((task) => task.messages.length >= 3)).toHaveLength(167);
      expect(run.judgments).toBe(3 * 224);
    }
  });

  it('gives the leaderboard the published ranks call for (none: no task compares two models), and W = alpha = 1 on ranks', async () => {
    const tally = expectedTally(oasst.tasks, published);
    const stats = (await client(t.app, admin).get(`/api/campaigns/${oasst.campaignId}/stats?rounds=200`).expect(200)).body;
    // Progress counts tasks (a ranking task once, not as its pairs) and rankings, k = 3 on each: all complete.
    expect(stats.progress).toMatchObject({ comparisons: oasst.tasks.length, complete: oasst.tasks.length, judgments: oasst.judgments, target: 3 * oasst.tasks.length });
    expect(stats.bootstrap.unit).toBe('ranking');
    expect(stats.leaderboard.map((row: { model: string }) => row.model).sort()).toEqual([...tally.keys()].sort());
    for (const row of stats.leaderboard) {
      const expected = tally.get(row.model)!;
      expect(row).toMatchObject({ wins: expected.wins, losses: expected.losses, ties: 0, judgments: expected.wins + expected.losses });
    }
    // OASST's sibling replies are all by one author label (human, or chip20b on 17 replies that are only ever ranked
    // against each other), so no task compares two models: the published ranks call for no leaderboard, and there is none.
    expect(tally.size).toBe(0);
    expect(stats.leaderboard).toEqual([]);
    // Unanimous raters: W and ordinal alpha on ranks are 1.
    expect(stats.agreement.ranking.kendallW.value).toBeCloseTo(1, 10);
    expect(stats.agreement.ranking.alphaOrdinalRanks.value).toBeCloseTo(1, 10);
  });

  it('with replies relabelled model-a and model-b: the wins and losses the published ranks give, and the two-model Bradley-Terry ratings', async () => {
    const tally = expectedTally(labelled.tasks, publishedReplies(labelledCorpus));
    expect(tally.size).toBe(2);
    const stats = (await client(t.app, admin).get(`/api/campaigns/${labelled.campaignId}/stats?rounds=200`).expect(200)).body;
    expect(stats.leaderboard.map((row: { model: string }) => row.model).sort()).toEqual(['model-a', 'model-b']);
    for (const row of stats.leaderboard) {
      const expected = tally.get(row.model)!;
      expect(row).toMatchObject({ wins: expected.wins, losses: expected.losses, ties: 0, judgments: expected.wins + expected.losses });
    }
    // Two models, no ties: the maximum-likelihood odds are wins_a / wins_b; the ratings average 1000 on the Elo scale (400, base 10).
    const gap = 400 * Math.log10(tally.get('model-a')!.wins / tally.get('model-b')!.wins);
    const row = (model: string) => stats.leaderboard.find((entry: { model: string }) => entry.model === model);
    expect(row('model-a').rating).toBeCloseTo(1000 + gap / 2, 3);
    expect(row('model-b').rating).toBeCloseTo(1000 - gap / 2, 3);
    for (const model of ['model-a', 'model-b']) expect(row(model).ci[0]).toBeLessThan(row(model).rating);
    console.log(`relabelled OASST replay: ${JSON.stringify(stats.leaderboard.map((e: { model: string; rating: number; ci: number[]; wins: number; losses: number }) => [e.model, e.rating.toFixed(1), e.ci.map((x) => x.toFixed(1)), e.wins, e.losses]))}`);
  });

  it('writes a ranking export whose every line orders the task by the published ranks', async () => {
    const { campaignId, tasks, asOf } = oasst;
    const file = await download(t.app, admin, exportPath(campaignId, { format: 'ranking', asOf }));
    expect(file.status).toBe(200);
    expect(file.lines).toHaveLength(224);
    const byGroup = new Map((file.lines as { group_id: string; ranking: number[]; ties: number[][]; judgments: number; responses: string[] }[]).map((line) => [line.group_id, line]));
    for (const task of tasks) {
      const line = byGroup.get(String(task.id))!;
      const expected = [...task.messages.keys()].sort((x, y) => published.get(task.messages[x]!)!.rank! - published.get(task.messages[y]!)!.rank!);
      expect(line.ranking).toEqual(expected);
      expect(line).toMatchObject({ ties: [], judgments: 3 });
    }
    // The pair formats: every pair of every task (57 pairs, 117 x 3, 50 x 6), batched by group_id.
    const trl = await download(t.app, admin, exportPath(campaignId, { format: 'trl', asOf }));
    expect(trl.lines).toHaveLength(57 + 117 * 3 + 50 * 6);
    expect(new Set((trl.lines as { group_id?: string }[]).map((line) => line.group_id).filter(Boolean)).size).toBe(167);
  });
});
