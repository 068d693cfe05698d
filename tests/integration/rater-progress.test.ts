// The "comparisons left" count behind every rater reply: cached per campaign for a few seconds, and one
// count at a time, so that many raters arriving together after the cache expires share one count.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openComparisons } from '../../server/services/rating/rater-progress';
import { seedComparisons } from '../../testkit/factory';
import { startTestApp, type TestApp } from '../helpers/app';

const clock = { at: Date.now(), now: () => new Date(clock.at) };

describe('open comparisons count', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ overrides: { clock } });
  });
  afterAll(async () => t.close());

  it('is shared by requests that arrive while it runs, cached for 5 s, then counted again', async () => {
    const s = await seedComparisons(t.app.ctx.db.prisma, { prompts: 4, models: 3 });
    const first = openComparisons(t.app.ctx, s.campaignId);
    const together = Array.from({ length: 20 }, () => openComparisons(t.app.ctx, s.campaignId));
    for (const p of together) expect(p).toBe(first);
    expect(await first).toBe(12); // 4 prompts x C(3,2) pairs, none judged

    await t.app.ctx.db.prisma.comparison.updateMany({ where: { campaignId: s.campaignId }, data: { removed: true } });
    clock.at += 4_999;
    expect(await openComparisons(t.app.ctx, s.campaignId)).toBe(12);
    clock.at += 1;
    const fresh = openComparisons(t.app.ctx, s.campaignId);
    expect(fresh).not.toBe(first);
    expect(await fresh).toBe(0);
  });

  it('does not keep a failed count: the next request asks the database again', async () => {
    const failed = openComparisons(t.app.ctx, 'not-a-uuid');
    await expect(failed).rejects.toThrow();
    const again = openComparisons(t.app.ctx, 'not-a-uuid');
    expect(again).not.toBe(failed);
    await expect(again).rejects.toThrow();
  });
});
