// Safety and liveness across app instances: two app processes on one Postgres, 120 simulated raters
// with 2-second leases (some walk away, answer late, skip, resend), until each gets 204; checked in SQL.
// Postgres only: PGlite is one process by design (tests/integration/rater-invariants.test.ts covers it).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAppProcess, stopAppProcess, type AppProcess } from '../load/app-processes';
import { JsonClient } from '../load/http-client';
import { measureInvariants } from '../load/invariants';
import { createRaters } from '../load/rater-pool';
import { runRaters } from '../load/simulated-rater';
import { startTestApp, type TestApp } from '../helpers/app';
import { seedComparisons } from '../helpers/seed-comparisons';

describe.skipIf(!process.env.DATABASE_URL)('rater loop invariants, two app processes on one Postgres', () => {
  let t: TestApp;
  let processes: AppProcess[] = [];
  let clients: JsonClient[] = [];
  beforeAll(async () => {
    t = await startTestApp({ env: { WEB_DIST_DIR: 'tests/no-web-build' } });
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
    const stats = await runRaters(clients, raters, seeded.campaignId, {
      leaseMs: 2000,
      maxThinkMs: 50,
      abandonRate: 0.04,
      lateRate: 0.04,
      skipRate: 0.02,
      retryRate: 0.1,
    });
    const report = await measureInvariants(prisma, seeded.campaignId, stats.accepted);
    expect(report).toMatchObject({ overTarget: 0, notExactlyK: 0, counterDrift: 0, doubleJudged: 0, acceptedMissing: 0, openLeases: 0, sideOrders: 2 });
    expect(stats.abandoned).toBeGreaterThan(0);
    expect(report.expiredLeases).toBeGreaterThan(0);
    expect(stats.accepted.length).toBeGreaterThanOrEqual(seeded.comparisonIds.length * 3);
    for (const c of clients) expect(c.requests).toBeGreaterThan(stats.accepted.length / 4);
  }, 150_000);
});
