// Exports of a ranking campaign through HTTP: every pair format from the rankings' pairs with group_id (all pairs,
// best against each, adjacent), KTO's top and bottom groups, and the ranking format by juxta-rank-1 (Borda), each
// checked against what the three raters' rankings call for, counted here by hand.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TAssignment, TAssignmentQueue } from '../../server/contract/rater';
import { lineSchemaFor } from '../../server/domain/export/schemas';
import type { ExportFormat } from '../../server/domain/export/types';
import { client, createUser, startTestApp, type TestApp, type TestUser } from '../helpers/app';
import { seedComparisons, type SeededComparisons } from '../../testkit/factory';
import { download, exportPath } from '../helpers/export-download';

describe('exports of ranking tasks', () => {
  let t: TestApp;
  let admin: TestUser;
  let s: SeededComparisons;
  let asOf: string;
  /** The reply text of each model on each prompt, and each task's id. */
  const replyOf = new Map<string, string>();
  beforeAll(async () => {
    t = await startTestApp();
    admin = await createUser(t.app, 'ADMIN');
    const prisma = t.app.ctx.db.prisma;
    s = await seedComparisons(prisma, { prompts: 3, models: 4, votes: 3, ranking: true });
    const responses = await prisma.response.findMany({ where: { campaignId: s.campaignId }, select: { content: true, model: true, promptId: true } });
    for (const r of responses) replyOf.set(`${r.promptId}:${r.model}`, r.content);
    const modelOf = new Map(responses.map((r) => [r.content, s.models.indexOf(r.model)]));
    // Each rater's ranking of the models (by index), the same on every task:
    // m0 > m1 > m2 > m3; m1 > m0 > m2 = m3; m0 > m1 = m2 > m3.
    const orders = [[[0], [1], [2], [3]], [[1], [0], [2, 3]], [[0], [1, 2], [3]]];
    const rank = (a: TAssignment, order: number[][]) => order.map((group) => a.responses!.flatMap((r, card) => (group.includes(modelOf.get(r.content)!) ? [card] : [])));
    for (const order of orders) {
      const u = await createUser(t.app, 'RATER', [s.campaignId]);
      let queue: TAssignmentQueue | null = (await client(t.app, u).get(`/api/campaigns/${s.campaignId}/assignments/next`).expect(200)).body;
      while (queue) {
        const res = await client(t.app, u).post(`/api/assignments/${queue.assignment.id}/judgment`).send({ ranking: rank(queue.assignment, order), timeMs: 3000, idempotencyKey: randomUUID() }).expect(200);
        queue = res.body.next;
      }
    }
    asOf = new Date().toISOString();
  }, 300_000);
  afterAll(async () => t.close());

  const get = async (query: Record<string, string>) => {
    const file = await download(t.app, admin, exportPath(s.campaignId, { asOf, ...query }));
    expect(file.status).toBe(200);
    return file.lines as Record<string, unknown>[];
  };
  const model = (promptIndex: number, m: number) => replyOf.get(`${s.promptIds[promptIndex]}:${s.models[m]}`)!;
  const taskIds = () => s.comparisonIds.map(String).sort();
  /** The chosen and rejected reply texts of a pair line, whatever the format's shape. */
  const sides = (line: Record<string, unknown>): [string, string] => {
    const text = (side: unknown) => (Array.isArray(side) ? (side.at(-1) as { content: string }).content : (side as string).replace(/^[\s\S]*\n\nAssistant: /, '').replace(/^ /, ''));
    return [text(line.chosen ?? line.preferred_output), text(line.rejected ?? line.non_preferred_output)];
  };
  /** The model indexes of each line's chosen and rejected reply. */
  const modelPairs = (lines: Record<string, unknown>[]) =>
    lines.map((line) => sides(line).map((reply) => s.models.findIndex((_, m) => s.promptIds.some((_, p) => model(p, m) === reply)))).map((pair) => pair.join('>')).sort();

  it('writes every pair of every ranking in each pair format, with the task as group_id and the pair majority as chosen', async () => {
    // Per pair of models the three raters' pairs: (0,1) A B A; (1,2) A A tie; (2,3) A tie A; the rest A A A: lower index wins all six.
    const expected = [0, 1, 2].flatMap(() => ['0>1', '0>2', '0>3', '1>2', '1>3', '2>3']).sort();
    for (const format of ['trl', 'trl-conversational', 'hh-rlhf', 'openai-dpo'] as ExportFormat[]) {
      const lines = await get({ format });
      expect(lines).toHaveLength(18);
      for (const line of lines) expect(lineSchemaFor(format, format === 'trl' ? 'plain' : 'explicit').safeParse(line).success).toBe(true);
      expect([...new Set(lines.map((line) => line.group_id))].sort()).toEqual(taskIds());
      expect(modelPairs(lines)).toEqual(expected);
    }
  });

  it('writes the best against each and adjacent pairs of the aggregated ranking (m0 > m1 > m2 > m3)', async () => {
    expect(modelPairs(await get({ format: 'trl', rankingPairs: 'best-vs-each' }))).toEqual([0, 1, 2].flatMap(() => ['0>1', '0>2', '0>3']).sort());
    expect(modelPairs(await get({ format: 'trl', rankingPairs: 'adjacent' }))).toEqual([0, 1, 2].flatMap(() => ['0>1', '1>2', '2>3']).sort());
  });

  it('KTO marks the top group desirable and the bottom group undesirable', async () => {
    for (const format of ['kto', 'kto-conversational'] as ExportFormat[]) {
      const lines = await get({ format });
      expect(lines).toHaveLength(6);
      for (const line of lines) expect(lineSchemaFor(format, 'explicit').safeParse(line).success).toBe(true);
      const completion = (line: Record<string, unknown>) => sides({ chosen: line.completion, rejected: line.completion })[0];
      const labelled = lines.map((line) => `${s.models.findIndex((_, m) => [0, 1, 2].some((p) => model(p, m) === completion(line)))}:${line.label}`).sort();
      expect(labelled).toEqual([0, 1, 2].flatMap(() => ['0:true', '3:false']).sort());
    }
  });

  it('the ranking format: Borda scores 8, 6.5, 3, 0.5 give m0 > m1 > m2 > m3 on each task, and the card names juxta-rank-1', async () => {
    const lines = await get({ format: 'ranking' });
    expect(lines).toHaveLength(3);
    for (const line of lines) {
      expect(lineSchemaFor('ranking', 'explicit').safeParse(line).success).toBe(true);
      const p = s.promptIds.findIndex((_, i) => (line.responses as string[]).includes(model(i, 0)));
      const ordered = (line.ranking as number[]).map((index) => (line.responses as string[])[index]);
      expect(ordered).toEqual([0, 1, 2, 3].map((m) => model(p, m)));
      expect(line).toMatchObject({ ties: [], judgments: 3, all_bad: 0 });
      expect([...(line.scores as number[])].sort((a, b) => b - a)).toEqual([8, 6.5, 3, 0.5]);
    }
    const card = await client(t.app, admin).get(exportPath(s.campaignId, { asOf, format: 'ranking' }, '/card')).expect(200);
    expect(card.text).toContain('juxta-rank-1');
    const trlCard = await client(t.app, admin).get(exportPath(s.campaignId, { asOf, format: 'trl', rankingPairs: 'adjacent' }, '/card')).expect(200);
    expect(trlCard.text).toContain('group_id');
    expect(trlCard.text).toContain('rankingPairs=adjacent');
  });

  it('raw writes each ranking with its groups of slots, the order its cards were shown in and the responses by slot', async () => {
    const lines = await get({ format: 'raw' });
    expect(lines).toHaveLength(9);
    const prisma = t.app.ctx.db.prisma;
    const stored = await prisma.judgment.findMany({ where: { campaignId: s.campaignId }, select: { id: true, ranking: true, assignment: { select: { shownOrder: true } } } });
    const byId = new Map(stored.map((j) => [String(j.id), j]));
    // The three raters' orders by model index, as ranked in beforeAll.
    const orders = new Set(['0|1|2|3', '1|0|2,3', '0|1,2|3']);
    const seen = new Set<string>();
    for (const line of lines) {
      expect(lineSchemaFor('raw', 'explicit').safeParse(line).success).toBe(true);
      const ranking = line.ranking as { groups: number[][]; all_bad: boolean; shown_order: number[]; responses: { model: string }[] };
      const judgment = byId.get(line.judgment_id as string)!;
      expect(ranking.groups).toEqual(judgment.ranking);
      expect(ranking.shown_order).toEqual(judgment.assignment.shownOrder);
      expect([...ranking.shown_order].sort()).toEqual([0, 1, 2, 3]);
      expect(ranking.all_bad).toBe(false);
      // Read through the slots' models, each line is one of the raters' orders.
      const order = ranking.groups.map((group) => group.map((slot) => s.models.indexOf(ranking.responses[slot]!.model)).sort().join(',')).join('|');
      expect(orders.has(order)).toBe(true);
      seen.add(order);
    }
    expect(seen).toEqual(orders);
  });

  it('filters by models and model pairs on every slot of a ranking task, not slots 0 and 1 alone', async () => {
    const [m0, m1, m2, m3] = s.models as [string, string, string, string];
    // Every task ranks all four models: a list without m3 leaves every task out (slots 0 and 1 alone would keep them).
    expect(await get({ format: 'trl', models: [m0, m1].join(',') })).toHaveLength(0);
    expect(await get({ format: 'raw', models: [m0, m1, m2].join(',') })).toHaveLength(0);
    expect(await get({ format: 'trl', models: [m0, m1, m2, m3].join(',') })).toHaveLength(18);
    // m2 and m3 sit in slots 2 and 3: the pair filter finds them, and a pair format writes that pair alone.
    const pairLines = await get({ format: 'trl', pairs: `${m3}~${m2}` });
    expect(modelPairs(pairLines)).toEqual(['2>3', '2>3', '2>3']);
    expect((await get({ format: 'raw', pairs: `${m2}~${m3}` })).length).toBe(9);
    expect(await get({ format: 'ranking', pairs: `${m2}~${m3}` })).toHaveLength(3);
  });

  it('refuses options that do not apply, and changes nothing', async () => {
    const refused: Record<string, string>[] = [{ format: 'raw', rankingPairs: 'adjacent' }, { format: 'kto', rankingPairs: 'all' }, { format: 'ranking', minAgreement: '0.5' }, { format: 'trl', rankingPairs: 'every' }];
    for (const query of refused) {
      const res = await client(t.app, admin).get(exportPath(s.campaignId, { asOf, ...query })).expect(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
    }
    expect(await get({ format: 'ranking' })).toHaveLength(3);
  });
});
