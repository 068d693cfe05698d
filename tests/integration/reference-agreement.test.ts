// Human majority against reference labels, on the AlpacaEval slices (tests/fixtures/alpaca-eval, GPT-4 labels).
// Replaying the labels against themselves would give kappa 1 and prove nothing, so three simulated raters
// answer with known flip rates (seeded): each answers the reference, or with probability p one of the other
// answers. The stats' figure must equal kappa and raw agreement computed here from the simulated answers
// by the textbook formula; the raw export, the comparison page and the explorer carry the label too.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, createUser, startTestApp, type TestApp, type TestUser } from '../helpers/app';
import { download, exportPath } from '../helpers/export-download';
import { upload } from './import-helpers';

type Choice = 'A' | 'B' | 'TIE';
const SLICES = ['alpaca-7b', 'vicuna-13b', 'text_davinci_001', 'gpt4'];
const FLIP_RATES = [0.1, 0.25, 0.4];
const fixture = (name: string) => readFileSync(new URL(`../fixtures/alpaca-eval/${name}`, import.meta.url));

/** mulberry32: a small seeded generator, independent of the server's. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Strictly most chosen answer, or null. */
function majority(answers: Choice[]): Choice | null {
  const counts = new Map<Choice, number>();
  for (const a of answers) counts.set(a, (counts.get(a) ?? 0) + 1);
  const best = Math.max(...counts.values());
  const leaders = [...counts].filter(([, n]) => n === best);
  return leaders.length === 1 ? leaders[0]![0] : null;
}

/** Cohen's kappa by its definition: (p_o - p_e) / (1 - p_e), p_e from the two marginals. */
function kappa(x: string[], y: string[]): { kappa: number; agreement: number } {
  const n = x.length;
  const po = x.filter((v, i) => v === y[i]).length / n;
  const categories = new Set([...x, ...y]);
  let pe = 0;
  for (const c of categories) pe += (x.filter((v) => v === c).length / n) * (y.filter((v) => v === c).length / n);
  return { kappa: (po - pe) / (1 - pe), agreement: po };
}

describe('human majority vs reference labels (AlpacaEval slices)', () => {
  let t: TestApp;
  let admin: TestUser;
  let campaignId: string;
  const expectedHuman: string[] = [];
  const expectedReference: string[] = [];
  let labelled = 0;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await createUser(t.app, 'ADMIN');
    campaignId = (await client(t.app, admin).post('/api/campaigns').send({ name: 'Reference agreement', votesPerComparison: 3 }).expect(201)).body.id;
    for (const name of SLICES) await upload(t.app, admin, campaignId, fixture(`${name}.slice.json`), 'application/json', '?format=alpaca-eval').expect(201);
    const { prisma } = t.app.ctx.db;
    const raters = await Promise.all(FLIP_RATES.map(() => createUser(t.app, 'RATER', [campaignId])));
    const comparisons = await prisma.comparison.findMany({ where: { campaignId }, orderBy: { id: 'asc' }, select: { id: true, referenceChoice: true } });
    const random = seeded(20_261_206);
    const assignments: { id: string; comparisonId: number; raterId: string }[] = [];
    const judgments: { assignmentId: string; comparisonId: number; raterId: string; choice: Choice }[] = [];
    for (const comparison of comparisons) {
      if (!comparison.referenceChoice) continue;
      labelled += 1;
      const reference = comparison.referenceChoice as Choice;
      const answers = FLIP_RATES.map((p, r) => {
        const others = (['A', 'B', 'TIE'] as const).filter((c) => c !== reference);
        const answer = random() < p ? others[Math.floor(random() * others.length)]! : reference;
        const assignmentId = randomUUID();
        assignments.push({ id: assignmentId, comparisonId: comparison.id, raterId: raters[r]!.id });
        judgments.push({ assignmentId, comparisonId: comparison.id, raterId: raters[r]!.id, choice: answer });
        return answer;
      });
      const human = majority(answers);
      if (human !== null) {
        expectedHuman.push(human);
        expectedReference.push(reference);
      }
    }
    await prisma.assignment.createMany({
      data: assignments.map((a) => ({ ...a, campaignId, leftIsA: true, guidelineVersion: 1, status: 'SUBMITTED' as const, expiresAt: new Date(), closedAt: new Date() })),
    });
    await prisma.judgment.createMany({
      data: judgments.map((j) => ({ ...j, activeAssignmentId: j.assignmentId, campaignId, leftIsA: true, timeMs: 9000, idempotencyKey: randomUUID(), guidelineVersion: 1, createdAt: new Date(Date.now() - 5000) })),
    });
  });
  afterAll(async () => t.close());

  it('gives per source the kappa and raw agreement an independent computation gives, with a bootstrap interval', async () => {
    expect(labelled).toBeGreaterThan(150);
    const stats = (await client(t.app, admin).get(`/api/campaigns/${campaignId}/stats?rounds=500&seed=7`).expect(200)).body;
    expect(stats.reference.sources).toHaveLength(1);
    const [source] = stats.reference.sources;
    const expected = kappa(expectedHuman, expectedReference);
    expect(source).toMatchObject({ source: 'alpaca-eval:alpaca_eval_gpt4', labelled, compared: expectedHuman.length });
    expect(source.agreement).toBeCloseTo(expected.agreement, 12);
    expect(source.kappa.value).toBeCloseTo(expected.kappa, 12);
    expect(source.kappa.units).toBe(expectedHuman.length);
    // Flip rates 0.1-0.4 leave the majority well above chance and well below perfect.
    expect(expected.kappa).toBeGreaterThan(0.4);
    expect(expected.kappa).toBeLessThan(0.95);
    const [low, high] = source.kappa.ci;
    expect(low).toBeLessThan(source.kappa.value);
    expect(high).toBeGreaterThan(source.kappa.value);
  });

  it('draws a leaderboard from the reference labels beside the human one, each label one outcome', async () => {
    const stats = (await client(t.app, admin).get(`/api/campaigns/${campaignId}/stats?rounds=0`).expect(200)).body;
    const models = (rows: { model: string }[]) => rows.map((row) => row.model).sort();
    expect(models(stats.reference.leaderboard)).toEqual(models(stats.leaderboard));
    const reference = new Map<string, { judgments: number }>(stats.reference.leaderboard.map((row: { model: string; judgments: number }) => [row.model, row]));
    // Every battle is against text_davinci_003: it takes part in every labelled comparison.
    expect(reference.get('text_davinci_003')!.judgments).toBe(labelled);
  });

  it('carries the reference label in the raw export, on the comparison page and in the explorer', async () => {
    const raw = await download(t.app, admin, exportPath(campaignId, { format: 'raw' }));
    expect(raw.lines.length).toBe(3 * labelled);
    for (const line of raw.lines as { reference: { choice: string; source: string } | null }[]) {
      expect(line.reference).toEqual({ choice: expect.stringMatching(/^(A|B|TIE)$/), source: 'alpaca-eval:alpaca_eval_gpt4' });
    }
    const agreeing = expectedHuman.filter((choice, u) => choice === expectedReference[u]).length;
    const page = (await client(t.app, admin).get(`/api/campaigns/${campaignId}/comparisons?reference=agrees&limit=200`).expect(200)).body;
    expect(page.items).toHaveLength(agreeing);
    const detail = (await client(t.app, admin).get(`/api/comparisons/${page.items[0].id}`).expect(200)).body;
    expect(detail.reference).toEqual({ choice: detail.majority, source: 'alpaca-eval:alpaca_eval_gpt4' });
  });
});
