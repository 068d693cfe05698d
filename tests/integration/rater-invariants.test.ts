// Safety and liveness of the rater loop under concurrency in one app process, on PGlite and Postgres:
// simulated raters with short leases run until nothing is left; then it is all checked in SQL.
import { afterAll, beforeAll, describe, it } from 'vitest';
import { JsonClient } from '../../testkit/load/http-client';
import { refreshPrioritiesPeriodically } from '../../server/services/selection/refresh-pair-priorities';
import { expectActiveArms, expectInvariants, waitForFirstPriorities } from '../helpers/invariants';
import { createRaters } from '../../testkit/factory';
import { runRaters, unruly } from '../../testkit/load/simulated-rater';
import { startTestApp, type TestApp } from '../helpers/app';
import { seedComparisons } from '../../testkit/factory';

describe('rater loop invariants, one process', () => {
  let t: TestApp;
  let http: JsonClient;
  beforeAll(async () => {
    // Active selection's priorities refreshed every second, as a running instance would (the active test starts it).
    t = await startTestApp({ env: { SELECTION_REFRESH_SECONDS: '1' } });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const address = t.app.server.address();
    http = new JsonClient(`http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`, t.app.ctx.config.publicUrl);
  });
  afterAll(async () => {
    http.close();
    await t.close();
  });

  it('gives every comparison exactly k judgments, none twice to a rater, and loses no accepted judgment', async () => {
    const prisma = t.app.ctx.db.prisma;
    const seeded = await seedComparisons(prisma, { prompts: 12, models: 3, votes: 3, gold: 3, goldRate: 0.15, leaseSeconds: 2 });
    const raters = await createRaters(prisma, seeded.campaignId, 30);
    const stats = await runRaters([http], raters, seeded.campaignId, unruly(2000, 30));
    await expectInvariants(prisma, seeded.campaignId, seeded.comparisonIds.length, stats);
  }, 120_000);

  it('keeps them with active selection, priorities refreshed in the background while raters judge', async () => {
    const prisma = t.app.ctx.db.prisma;
    const seeded = await seedComparisons(prisma, { prompts: 6, models: 4, votes: 3, gold: 3, goldRate: 0.15, leaseSeconds: 2, selection: 'active' });
    const raters = await createRaters(prisma, seeded.campaignId, 30);
    const stopRefreshing = refreshPrioritiesPeriodically(t.app.ctx);
    try {
      await waitForFirstPriorities(prisma, seeded.campaignId);
      const stats = await runRaters([http], raters, seeded.campaignId, unruly(2000, 30));
      await expectInvariants(prisma, seeded.campaignId, seeded.comparisonIds.length, stats);
      await expectActiveArms(prisma, seeded.campaignId);
    } finally {
      stopRefreshing();
    }
  }, 240_000);

  it('does the same for ranking tasks of 4 (gold rankings among them)', async () => {
    const prisma = t.app.ctx.db.prisma;
    const seeded = await seedComparisons(prisma, { prompts: 36, models: 4, votes: 3, gold: 2, goldRate: 0.15, leaseSeconds: 2, ranking: true });
    const raters = await createRaters(prisma, seeded.campaignId, 30);
    const stats = await runRaters([http], raters, seeded.campaignId, unruly(2000, 30));
    await expectInvariants(prisma, seeded.campaignId, seeded.comparisonIds.length, stats, true);
  }, 240_000);
});
