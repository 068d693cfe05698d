// Blindness: nothing a rater receives, errors included, names a model, a response, a comparison, a
// prompt or an import, or the canonical A/B order; the side order is random per assignment and stored.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, createUser, startTestApp, type TestApp, type TestUser } from '../helpers/app';
import { seedComparisons, spreadIdSequences } from '../../testkit/factory';

const clock = { at: Date.now(), now: () => new Date(clock.at) };

describe('rater payloads are blind', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ overrides: { clock } });
  });
  afterAll(async () => t.close());

  it('never reveal models, ids or canonical order, in replies or errors', async () => {
    const prisma = t.app.ctx.db.prisma;
    // Ids far from anything else in a payload, so a plain text search for them means something.
    await spreadIdSequences(prisma, 48_611_000 + Math.floor(Math.random() * 1000));
    const s = await seedComparisons(prisma, {
      prompts: 8,
      models: 3,
      votes: 1,
      gold: 2,
      goldRate: 0.3,
      leaseSeconds: 30,
      design: { scale: { allowTie: true, allowBothBad: true, strengthLevels: ['Slightly', 'Much'] }, rationale: { mode: 'optional', minLength: 20 } },
    });
    const [rater, other] = [await createUser(t.app, 'RATER', [s.campaignId]), await createUser(t.app, 'RATER', [s.campaignId])];
    const stranger = await createUser(t.app, 'RATER');
    const bodies: { what: string; status: number; text: string }[] = [];
    const record = async (what: string, req: ReturnType<ReturnType<typeof client>['get']>) => {
      const res = await req;
      bodies.push({ what, status: res.status, text: res.text });
      return res;
    };
    const as = (u: TestUser) => client(t.app, u);
    const judge = (u: TestUser, id: string, body: object) => as(u).post(`/api/assignments/${id}/judgment`).send({ timeMs: 10, idempotencyKey: randomUUID(), ...body });

    let q = (await record('next', as(rater).get(`/api/campaigns/${s.campaignId}/assignments/next`))).body;
    const first = q.assignment.id;
    await record('403 stranger', as(stranger).get(`/api/campaigns/${s.campaignId}/assignments/next`));
    await record('400 strength', judge(rater, first, { choice: 'left' }));
    await record('400 tie strength', judge(rater, first, { choice: 'tie', strength: 1 }));
    await record('400 rationale', judge(rater, first, { choice: 'left', strength: 1, rationale: 'short' }));
    await record('400 schema', judge(rater, first, { choice: 'A' }));
    await record('404 other', judge(other, first, { choice: 'left', strength: 1 }));
    const key = randomUUID();
    const ok = await record('200 judgment', judge(rater, first, { choice: 'left', strength: 2, idempotencyKey: key }));
    await record('200 retry', judge(rater, first, { choice: 'left', strength: 2, idempotencyKey: key }));
    await record('409 idempotency', judge(rater, first, { choice: 'right', strength: 2, idempotencyKey: key }));
    await record('409 already judged', judge(rater, first, { choice: 'right', strength: 2 }));
    q = ok.body.next;
    await record('200 skip', as(rater).post(`/api/assignments/${q.assignment.id}/skip`));
    q = (await record('200 next', as(rater).get(`/api/campaigns/${s.campaignId}/assignments/next`))).body;
    const flagged = await record('200 flag', as(rater).post(`/api/assignments/${q.assignment.id}/flag`).send({ reason: 'broken', target: 'right' }));
    q = flagged.body.next;
    const judged = await record('200 judgment both bad', judge(rater, q.assignment.id, { choice: 'both_bad' }));
    await record('200 undo', as(rater).post(`/api/assignments/${q.assignment.id}/undo`));
    await record('409 undo not last', as(rater).post(`/api/assignments/${first}/undo`));
    // A lease lost to another rater.
    const lost = judged.body.next.assignment.id;
    clock.at += 31_000;
    await record('next other', as(other).get(`/api/campaigns/${s.campaignId}/assignments/next`));
    let queue = (await record('next after expiry', as(rater).get(`/api/campaigns/${s.campaignId}/assignments/next`))).body;
    const lostRes = await record('late judgment', judge(rater, lost, { choice: 'right', strength: 1 }));
    expect([200, 409]).toContain(lostRes.status);
    // Judge everything else, both raters, to the end (gold included).
    for (const u of [rater, other]) {
      queue = (await record('next', as(u).get(`/api/campaigns/${s.campaignId}/assignments/next`))).body;
      while (queue?.assignment) {
        const res = await record('loop judgment', judge(u, queue.assignment.id, { choice: 'right', strength: 1 }));
        queue = res.status === 200 ? res.body.next : (await record('next', as(u).get(`/api/campaigns/${s.campaignId}/assignments/next`))).body;
      }
      await record('204', as(u).get(`/api/campaigns/${s.campaignId}/assignments/next`));
    }
    expect(new Set(bodies.map((b) => b.status))).toEqual(new Set([200, 204, 400, 403, 404, 409]));

    const imports = await prisma.import.findMany({ where: { campaignId: s.campaignId }, select: { id: true } });
    const secrets = [
      ...s.models,
      ...[...s.comparisonIds, ...s.goldIds, ...s.responseIds, ...s.promptIds].map(String),
      ...imports.map((i) => i.id),
    ];
    for (const b of bodies) {
      for (const secret of secrets) expect(b.text, `${b.what} reveals ${secret}`).not.toContain(secret);
      expect(b.text, `${b.what} names a canonical side`).not.toMatch(/"(A|B|TIE|BOTH_BAD)"/);
      expect(b.text, `${b.what} has a revealing field`).not.toMatch(/leftIsA|"(response|comparison|prompt|import)(Id|AId|BId)?"\s*:|"models?"\s*:|"(isGold|goldChoice)"/i);
    }

    // The side order is stored per assignment, both orders occur, and "left" is the stored one.
    const assignments = await prisma.assignment.findMany({
      where: { campaignId: s.campaignId },
      include: { comparison: { include: { responseA: true, responseB: true } } },
    });
    expect(new Set(assignments.map((a) => a.leftIsA))).toEqual(new Set([true, false]));
    const shown = JSON.parse(bodies.find((b) => b.what === 'next')!.text).assignment;
    const row = assignments.find((a) => a.id === shown.id)!;
    expect(shown.left.content).toBe(row.leftIsA ? row.comparison.responseA.content : row.comparison.responseB.content);
  });
});
