// Safety and liveness across app instances: two app processes on one Postgres, 120 simulated raters
// with 2-second leases (some walk away, answer late, skip, resend), until each gets 204; checked in SQL.
// Postgres only: PGlite is one process by design (tests/integration/rater-invariants.test.ts covers it).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAppProcess, stopAppProcess, type AppProcess } from '../../testkit/load/app-processes';
import { JsonClient } from '../../testkit/load/http-client';
import { expectActiveArms, expectInvariants, waitForFirstPriorities } from '../helpers/invariants';
import { createRaters } from '../../testkit/factory';
import { runRaters, unruly } from '../../testkit/load/simulated-rater';
import { startTestApp, type TestApp } from '../helpers/app';
import { seedComparisons } from '../../testkit/factory';

describe.skipIf(!process.env.DATABASE_URL)('rater loop invariants, two app processes on one Postgres', () => {
  let t: TestApp;
  let processes: AppProcess[] = [];
  let clients: JsonClient[] = [];
  beforeAll(async () => {
    t = await startTestApp();
    const url = t.database.env.DATABASE_URL!;
    processes = await Promise.all([startAppProcess(url), startAppProcess(url)]);
    clients = processes.map((p) => new JsonClient(p.baseUrl, t.app.ctx.config.publicUrl));
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    await Promise.all(processes.map(stopAppProcess));
    await t?.close();
  });

  it('gives every comparison exactly k judgments, none twice to a rater, and loses no accepted judgment', async () => {
    const prisma = t.app.ctx.db.prisma;
    const seeded = await seedComparisons(prisma, { prompts: 50, models: 3, votes: 3, gold: 5, goldRate: 0.1, leaseSeconds: 2 });
    const raters = await createRaters(prisma, seeded.campaignId, 120);
    const stats = await runRaters(clients, raters, seeded.campaignId, unruly(2000, 50));
    await expectInvariants(prisma, seeded.campaignId, seeded.comparisonIds.length, stats);
    for (const c of clients) expect(c.requests).toBeGreaterThan(stats.accepted.length / 4);
  }, 150_000);

  it('does the same with active selection, both processes offering to refresh the priorities every second', async () => {
    const prisma = t.app.ctx.db.prisma;
    const seeded = await seedComparisons(prisma, { prompts: 15, models: 5, votes: 3, gold: 5, goldRate: 0.1, leaseSeconds: 2, selection: 'active' });
    const raters = await createRaters(prisma, seeded.campaignId, 120);
    await waitForFirstPriorities(prisma, seeded.campaignId);
    const before = clients.map((c) => c.requests);
    const stats = await runRaters(clients, raters, seeded.campaignId, unruly(2000, 50));
    await expectInvariants(prisma, seeded.campaignId, seeded.comparisonIds.length, stats);
    await expectActiveArms(prisma, seeded.campaignId);
    clients.forEach((c, i) => expect(c.requests - before[i]!).toBeGreaterThan(stats.accepted.length / 4));
  }, 150_000);

  it('does the same for ranking tasks of 4 (gold rankings among them)', async () => {
    const prisma = t.app.ctx.db.prisma;
    const seeded = await seedComparisons(prisma, { prompts: 150, models: 4, votes: 3, gold: 4, goldRate: 0.1, leaseSeconds: 2, ranking: true });
    const raters = await createRaters(prisma, seeded.campaignId, 120);
    const before = clients.map((c) => c.requests);
    const stats = await runRaters(clients, raters, seeded.campaignId, unruly(2000, 50));
    await expectInvariants(prisma, seeded.campaignId, seeded.comparisonIds.length, stats, true);
    clients.forEach((c, i) => expect(c.requests - before[i]!).toBeGreaterThan(stats.accepted.length / 4));
  }, 150_000);
});
