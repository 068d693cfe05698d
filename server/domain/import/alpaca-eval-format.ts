// AlpacaEval annotations: {instruction, input?, output_1, output_2, generator_1, generator_2, preference, ...}.
import { z } from 'zod';
import { buildRecord, leftover, type RecordOutcome } from './build-record';
import { parseRecord } from './record-schema';
import type { RecordRules, ReferenceChoice } from './types';

const ZAlpacaRecord = z.looseObject({
  instruction: z.string(),
  input: z.string().optional(),
  output_1: z.string(),
  output_2: z.string(),
  generator_1: z.string().min(1),
  generator_2: z.string().min(1),
  // alpaca_eval writes "1"/"2"/"0" in some files and 1.0/2.0/0.0 in others; null when the judge gave none.
  preference: z.union([z.string(), z.number()]).nullish(),
  annotator: z.string().optional(),
});

/**
 * The prompt is the instruction, followed by "\n\n" + input when there is one (the Alpaca template).
 * The preference follows alpaca_eval's metrics: 1 = output_1 wins, 2 = output_2 wins, 0 or 1.5 = draw.
 */
export function alpacaEvalRecord(value: unknown, line: number, rules: RecordRules): RecordOutcome {
  const raw = parseRecord(ZAlpacaRecord, value, 'line');
  const prompt = raw.input ? `${raw.instruction}\n\n${raw.input}` : raw.instruction;
  const pair: [string, string] = [raw.generator_1, raw.generator_2];
  const choice = preferenceChoice(raw.preference);
  return buildRecord({
    line,
    externalId: null,
    context: [{ role: 'user', content: prompt }],
    responses: [
      { model: raw.generator_1, content: raw.output_1, externalId: null, metadata: null },
      { model: raw.generator_2, content: raw.output_2, externalId: null, metadata: null },
    ],
    metadata: leftover(raw, ['instruction', 'input', 'output_1', 'output_2', 'generator_1', 'generator_2']),
    gold: null,
    pairs: [pair],
    reference: choice ? { pair, choice, source: `alpaca-eval:${raw.annotator ?? 'unknown'}` } : null,
  }, rules);
}

function preferenceChoice(preference: string | number | null | undefined): ReferenceChoice | null {
  const value = Number(preference ?? NaN);
  if (value === 1) return 'first';
  if (value === 2) return 'second';
  if (value === 0 || value === 1.5) return 'tie';
  return null;
}
