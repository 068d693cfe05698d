// Anthropic HH-RLHF: {chosen, rejected} transcripts of "\n\nHuman: ..." and "\n\nAssistant: ..." turns.
import { z } from 'zod';
import { buildRecord, leftover, type RecordOutcome } from './build-record';
import { RecordError } from './record-error';
import { parseRecord } from './record-schema';
import type { RecordRules, Turn } from './types';

export const HH_CHOSEN_MODEL = 'hh-rlhf:chosen';
export const HH_REJECTED_MODEL = 'hh-rlhf:rejected';

const ZHhRecord = z.looseObject({ chosen: z.string(), rejected: z.string() });

// Each turn is its marker plus the exact text up to the next marker: nothing is trimmed, so
// `formatHhTranscript` rebuilds the original bytes.
const MARKER = /\n\n(Human|Assistant): /g;

/**
 * The context is the turns both transcripts share; the responses are their final Assistant turns.
 * Transcripts that differ before that are skipped as divergentContext. The file's label (chosen
 * beat rejected) is kept as a reference label.
 */
export function hhRlhfRecord(value: unknown, line: number, rules: RecordRules): RecordOutcome {
  const raw = parseRecord(ZHhRecord, value, 'line');
  const chosen = splitTranscript(raw.chosen, 'chosen');
  const rejected = splitTranscript(raw.rejected, 'rejected');
  const context = chosen.slice(0, -1);
  if (JSON.stringify(context) !== JSON.stringify(rejected.slice(0, -1))) return { skip: 'divergentContext' };
  if (context.at(-1)?.role !== 'user') {
    throw new RecordError('the transcripts must end with a Human turn followed by the Assistant reply');
  }
  const pair: [string, string] = [HH_CHOSEN_MODEL, HH_REJECTED_MODEL];
  return buildRecord({
    line,
    externalId: null,
    context,
    responses: [
      { model: HH_CHOSEN_MODEL, content: chosen.at(-1)!.content, externalId: null, metadata: null },
      { model: HH_REJECTED_MODEL, content: rejected.at(-1)!.content, externalId: null, metadata: null },
    ],
    metadata: leftover(raw, ['chosen', 'rejected']),
    gold: null,
    pairs: [pair],
    reference: { pair, choice: 'first', source: 'hh-rlhf' },
  }, rules);
}

function splitTranscript(text: string, field: string): Turn[] {
  const markers = [...text.matchAll(MARKER)];
  if (markers[0]?.index !== 0) {
    throw new RecordError(`${field}: an HH-RLHF transcript must start with "\\n\\nHuman: "`);
  }
  const turns = markers.map((marker, i): Turn => {
    const start = marker.index + marker[0].length;
    return {
      role: marker[1] === 'Human' ? 'user' : 'assistant',
      content: text.slice(start, markers[i + 1]?.index ?? text.length),
    };
  });
  if (turns.at(-1)!.role !== 'assistant') {
    throw new RecordError(`${field}: an HH-RLHF transcript must end with an "\\n\\nAssistant: " turn`);
  }
  return turns;
}

/** The transcript text HH-RLHF files hold, byte for byte, from a context and the final reply. */
export function formatHhTranscript(context: readonly Turn[], reply: string): string {
  const turns = [...context, { role: 'assistant', content: reply } as const];
  return turns.map((t) => `\n\n${t.role === 'user' ? 'Human' : 'Assistant'}: ${t.content}`).join('');
}
