// Real HH-RLHF transcripts, split into context and final replies, come back byte for byte from the hh-rlhf export.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hhRlhfLine, trlLine } from '../../../server/domain/export/formats';
import type { Turn } from '../../../server/domain/export/types';
import { comparison } from './factories';

const fixture = readFileSync(
  new URL('../../fixtures/preference-formats/hh-rlhf-harmless-base-test-slice.jsonl', import.meta.url),
  'utf8',
);
const rows = fixture
  .split('\n')
  .filter((line) => line !== '')
  .map((line) => JSON.parse(line) as { chosen: string; rejected: string });

/** What an importer does: cut the transcript at its "\n\nHuman: " / "\n\nAssistant: " markers, text kept as is. */
function parseTranscript(transcript: string): Turn[] {
  const markers = [...transcript.matchAll(/\n\n(Human|Assistant): /g)];
  expect(markers[0]?.index).toBe(0);
  return markers.map((marker, i) => ({
    role: marker[1] === 'Human' ? 'user' : 'assistant',
    content: transcript.slice(marker.index + marker[0].length, markers[i + 1]?.index ?? transcript.length),
  }));
}

function imported(row: { chosen: string; rejected: string }) {
  const chosen = parseTranscript(row.chosen);
  const rejected = parseTranscript(row.rejected);
  const context = chosen.slice(0, -1);
  expect(rejected.slice(0, -1)).toEqual(context);
  return { context, chosen: chosen.at(-1)!.content, rejected: rejected.at(-1)!.content };
}

const bytes = (text: string) => Buffer.from(text, 'utf8');

describe('hh-rlhf round trip on anthropics/hh-rlhf harmless-base test rows', () => {
  it('uses a slice with multi-turn, empty-reply and repeated-assistant-turn transcripts', () => {
    expect(rows).toHaveLength(12);
    expect(rows.some((row) => row.chosen.endsWith('\n\nAssistant: ') || row.rejected.endsWith('\n\nAssistant: '))).toBe(true);
    expect(rows.some((row) => /\n\nAssistant: (?:(?!\n\nHuman: ).)*\n\nAssistant: /s.test(row.chosen))).toBe(true);
    expect(rows.every((row) => imported(row).context.length >= 1)).toBe(true);
  });

  it.each(rows.map((row, i) => [i, row] as const))('row %i: chosen and rejected come back byte for byte', (_, row) => {
    const { context, chosen, rejected } = imported(row);
    // Canonical order never follows the file: try the chosen reply stored as A and as B.
    for (const [a, b, outcome] of [[chosen, rejected, 'A'], [rejected, chosen, 'B']] as const) {
      const line = hhRlhfLine(comparison(context, a, b), outcome);
      expect(bytes(line.chosen).equals(bytes(row.chosen))).toBe(true);
      expect(bytes(line.rejected).equals(bytes(row.rejected))).toBe(true);
      expect(JSON.stringify(line)).toBe(JSON.stringify(row));
    }
  });

  it('trl with an explicit prompt splits the same transcript so that prompt + completion is the original', () => {
    for (const row of rows) {
      const { context, chosen, rejected } = imported(row);
      const line = trlLine(comparison(context, chosen, rejected), 'A', { prompt: 'explicit' });
      expect(line.prompt + line.chosen).toBe(row.chosen);
      expect(line.prompt + line.rejected).toBe(row.rejected);
    }
  });
});
