// Round trip: real anthropics/hh-rlhf rows imported through the API, judged, and exported as hh-rlhf
// give back the original transcripts byte for byte, for whichever side the judgments picked.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZHhRlhfLine } from '../../server/domain/export/schemas';
import { createUser, startTestApp, type TestApp, type TestUser } from '../helpers/app';
import { addJudgments, type SeededCampaign, type CampaignJudgment } from '../../testkit/factory';
import { download, exportPath } from '../helpers/export-download';
import { newCampaign, upload } from './import-helpers';

const fixture = readFileSync(new URL('../fixtures/preference-formats/hh-rlhf-harmless-base-test-slice.jsonl', import.meta.url), 'utf8');
const rows = fixture
  .split('\n')
  .filter((line) => line !== '')
  .map((line) => JSON.parse(line) as { chosen: string; rejected: string });

describe('hh-rlhf import, judge, export round trip', () => {
  let t: TestApp;
  let admin: TestUser;
  beforeAll(async () => {
    t = await startTestApp();
    admin = await createUser(t.app, 'ADMIN');
  });
  afterAll(async () => t.close());

  it('exports each judged comparison as the original transcripts of the sides the judgments picked', async () => {
    const campaignId = await newCampaign(t.app, admin, { votesPerComparison: 2 });
    const imported = await upload(t.app, admin, campaignId, fixture, 'application/x-ndjson', '?format=hh-rlhf');
    expect(imported.status, JSON.stringify(imported.body)).toBe(201);

    const comparisons = await t.app.ctx.db.prisma.comparison.findMany({
      where: { campaignId },
      include: { responseA: true, responseB: true, prompt: true },
      orderBy: { id: 'asc' },
    });
    expect(comparisons).toHaveLength(imported.body.comparisons);
    expect(comparisons.length).toBeGreaterThanOrEqual(rows.length - 2);
    const raters = [await createUser(t.app, 'RATER', [campaignId]), await createUser(t.app, 'RATER', [campaignId])];
    const campaign = { id: campaignId } as SeededCampaign;

    // Half the comparisons are judged as the file labelled them, half the other way round.
    const expected = new Set<string>();
    const judgments: CampaignJudgment[] = [];
    comparisons.forEach((comparison, i) => {
      const chosenIsA = comparison.responseA.model === 'hh-rlhf:chosen';
      const agreeWithFile = i % 2 === 0;
      const pick = chosenIsA === agreeWithFile ? 'A' : 'B';
      const [winner, loser] = pick === 'A' ? [comparison.responseA, comparison.responseB] : [comparison.responseB, comparison.responseA];
      const context = comparison.prompt.context as { role: string; content: string }[];
      const transcriptOf = (reply: string) =>
        [...context, { role: 'assistant', content: reply }].map((turn) => `\n\n${turn.role === 'user' ? 'Human' : 'Assistant'}: ${turn.content}`).join('');
      const original = rows.find((row) => row.chosen === transcriptOf(comparison.responseA.content) || row.rejected === transcriptOf(comparison.responseA.content));
      expect(original).toBeDefined();
      expect([original!.chosen, original!.rejected].sort()).toEqual([transcriptOf(comparison.responseA.content), transcriptOf(comparison.responseB.content)].sort());
      expected.add(JSON.stringify(agreeWithFile ? original : { chosen: original!.rejected, rejected: original!.chosen }));
      expect(winner.model).toBe(agreeWithFile ? 'hh-rlhf:chosen' : 'hh-rlhf:rejected');
      expect(loser.model).not.toBe(winner.model);
      for (const [r, rater] of raters.entries()) {
        judgments.push({
          comparison: { id: comparison.id, isGold: false } as CampaignJudgment['comparison'],
          rater,
          choice: pick,
          createdAt: new Date(Date.now() - 60_000 + r),
          leftIsA: r === 0,
        });
      }
    });
    await addJudgments(t.app, campaign, judgments);

    const res = await download(t.app, admin, exportPath(campaignId, { format: 'hh-rlhf' }));
    expect(res.status).toBe(200);
    const lines = res.text.split('\n').filter((line) => line !== '');
    expect(lines).toHaveLength(comparisons.length);
    for (const line of lines) {
      ZHhRlhfLine.parse(JSON.parse(line));
      // Byte for byte: the JSON line itself equals the original row's (or its swap's) serialisation.
      expect(expected.has(line)).toBe(true);
    }
    expect(new Set(lines).size).toBe(expected.size);
  });
});
