// The soak's invariant check, short (bench:soak runs it for five minutes with figures): two app processes on
// one Postgres, 40 raters, instance B SIGKILLed and restarted twice while they judge, clients retrying with
// their idempotency keys on the other instance. Then in SQL: no comparison over k, no (rater, comparison)
// twice, every judgment answered 200 stored, counters equal to the rows. Postgres only (PGlite is one process).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app';
import { seedComparisons } from '../../testkit/factory';
import { measureInvariants } from '../../testkit/load/invariant-report';
import { createRaters } from '../../testkit/factory';
import { runSoak } from '../../testkit/load/soak';

describe.skipIf(!process.env.DATABASE_URL)('soak invariants: an instance killed while raters judge', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t?.close());

  it('loses no accepted judgment and doubles none, with B SIGKILLed twice', async () => {
    const prisma = t.app.ctx.db.prisma;
    const seeded = await seedComparisons(prisma, { prompts: 2000, models: 2, votes: 3, leaseSeconds: 5 });
    const raters = await createRaters(prisma, seeded.campaignId, 40);
    const result = await runSoak({
      databaseUrl: t.database.env.DATABASE_URL!,
      origin: t.app.ctx.config.publicUrl,
      campaignId: seeded.campaignId,
      raters,
      seconds: 16,
      killBAt: [5, 10],
      maxThinkMs: 20,
    });
    expect(result.kills).toBe(2);
    expect(result.requestsB).toBeGreaterThan(0);
    expect(result.accepted.length).toBeGreaterThan(100);
    // Killing B cut connections and requests in flight: the clients saw it and retried.
    expect(Object.keys(result.errors).some((kind) => /^E[A-Z]+|socket hang up/.test(kind)), JSON.stringify(result.errors)).toBe(true);
    expect(result.errors['gave up']).toBeUndefined();
    const report = await measureInvariants(prisma, seeded.campaignId, result.accepted);
    expect(report).toMatchObject({ overTarget: 0, doubleJudged: 0, acceptedMissing: 0, counterDrift: 0 });
  }, 120_000);
});
