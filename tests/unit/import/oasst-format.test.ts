// OpenAssistant message trees: the corpus's 100 English trees as ranking records with their multi-turn context.
import { describe, expect, it } from 'vitest';
import { OASST_HUMAN_MODEL } from '../../../server/domain/import/oasst-format';
import { parseUpload } from '../../../server/domain/import/parse-upload';
import { chunked, readFixture, tally } from './collect-events';

const corpus = readFixture('oasst/en_100_tree.jsonl');

describe('oasst format', () => {
  it('reads every prompter message with 2+ ranked replies as a record: 212 of the corpus, K as its README counts', async () => {
    const result = await tally(parseUpload(chunked(corpus, 4096), { format: 'auto' }));
    expect(result.formats).toEqual(['oasst']);
    expect(result.errors).toEqual([]);
    expect(result.records).toHaveLength(212);
    const sizes: Record<number, number> = {};
    for (const r of result.records) sizes[r.responses.length] = (sizes[r.responses.length] ?? 0) + 1;
    expect(sizes).toEqual({ 2: 57, 3: 117, 4: 27, 5: 3, 6: 6, 8: 1, 9: 1 });
    // 99 at the root (one user turn), 113 deeper: the path from the root, alternating user and assistant, ending with the user.
    expect(result.records.filter((r) => r.context.length === 1)).toHaveLength(99);
    for (const r of result.records) {
      expect(r.context.at(-1)!.role).toBe('user');
      expect(r.context.every((turn, i) => turn.role === (i % 2 === 0 ? 'user' : 'assistant'))).toBe(true);
    }
    // Prompter messages with replies of which fewer than two are ranked.
    expect(result.skipped).toEqual({ unrankedReplies: 42 });
  });

  it('keeps ids, model labels and the published rank as the reference ranking', async () => {
    const { records } = await tally(parseUpload(chunked(corpus, 65536), { format: 'oasst' }));
    const first = records[0]!;
    expect(first.externalId).toBe('054e1df3-35e0-4bb8-a585-607dbdcd24e0');
    expect(first.key).toBe(first.externalId);
    expect(first.responses.every((r) => r.key === `id:${r.externalId}`)).toBe(true);
    expect(first.referenceRanking!.source).toBe('oasst');
    // Responses are listed best first, so the reference ranking is 0, 1, 2... (no ties in this corpus).
    for (const r of records) {
      expect(r.referenceRanking!.groups).toEqual(r.responses.map((_, i) => [i]));
      expect(r.responses.map((x) => x.metadata!.rank)).toEqual([...r.responses.map((x) => x.metadata!.rank as number)].sort((a, b) => a - b));
    }
    const models = new Set(records.flatMap((r) => r.responses.map((x) => x.model)));
    expect(models.has(OASST_HUMAN_MODEL)).toBe(true);
    expect(models.has('chip20b')).toBe(true);
  });

  it('ties equal ranks, leaves unranked replies out, and reports a bad tree on its line', async () => {
    const reply = (id: string, rank: number | null, text = id) => ({ message_id: id, text, role: 'assistant', rank, replies: [] });
    const tree = {
      message_tree_id: 't',
      prompt: { message_id: 'p', text: 'Q?', role: 'prompter', replies: [reply('a', 1), reply('b', 0), reply('c', 1), reply('d', null)] },
    };
    const bad = { message_tree_id: 'u', prompt: { message_id: 'x', role: 'prompter', replies: [] } };
    const result = await tally(parseUpload(chunked([JSON.stringify(tree), JSON.stringify(bad)].join('\n'), 50), { format: 'oasst' }));
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatchObject({ line: 2, message: expect.stringContaining('text') });
    const [record] = result.records;
    expect(record!.responses.map((r) => r.externalId)).toEqual(['b', 'a', 'c']);
    expect(record!.referenceRanking!.groups).toEqual([[0], [1, 2]]);
    expect(record!.responses.every((r) => r.model === OASST_HUMAN_MODEL)).toBe(true);
  });
});
