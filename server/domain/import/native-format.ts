// Juxta's own JSONL: {id?, prompt | messages, responses?: [{model, content, id?, metadata?}], metadata?, gold?, reference?};
// no responses: a prompt awaiting them.
import { z } from 'zod';
import { buildRecord, type RecordOutcome } from './build-record';
import { RecordError } from './record-error';
import { parseRecord, ZExternalId, ZMetadata, ZTurn } from './record-schema';
import type { Gold, ImportResponse, RecordRules, ReferenceChoice, ReferenceLabel, Turn } from './types';

const ZResponseRef = z.union([z.string().min(1), z.number()]).transform(String);

const ZNativeRecord = z
  .strictObject({
    id: ZExternalId.optional(),
    prompt: z.string().optional(),
    messages: z.array(ZTurn).min(1).optional(),
    responses: z.array(
      z.strictObject({
        model: z.string().min(1),
        content: z.string(),
        id: ZExternalId.optional(),
        metadata: ZMetadata.optional(),
      }),
    ).optional(),
    metadata: ZMetadata.optional(),
    gold: z
      .union([
        z.strictObject({ better: ZResponseRef, worse: ZResponseRef }),
        z.strictObject({ tie: z.tuple([ZResponseRef, ZResponseRef]) }),
      ])
      .optional(),
    /** A label that came with the data (another annotator's, a judge model's) about the first two responses; never a rater's judgment. */
    reference: z.enum(['a', 'b', 'tie', 'both_bad'], { error: 'reference must be "a", "b", "tie" or "both_bad" (about the first two responses)' }).optional(),
  })
  .refine((r) => (r.prompt === undefined) !== (r.messages === undefined), {
    message: 'give either "prompt" (a string) or "messages" (a list of {role, content} turns), not both',
  })
  .refine((r) => r.messages === undefined || r.messages.at(-1)?.role === 'user', {
    message: '"messages" must end with the user turn the responses answer',
    path: ['messages'],
  })
  .refine((r) => r.reference === undefined || (r.responses?.length ?? 0) >= 2, {
    message: '"reference" labels the first two responses: give at least two',
    path: ['reference'],
  });

const REFERENCE_CHOICE: Record<'a' | 'b' | 'tie' | 'both_bad', ReferenceChoice> = { a: 'first', b: 'second', tie: 'tie', both_bad: 'both_bad' };

export function nativeRecord(value: unknown, line: number, rules: RecordRules): RecordOutcome {
  const raw = parseRecord(ZNativeRecord, value, 'line');
  const context: Turn[] = raw.messages ?? [{ role: 'user', content: raw.prompt! }];
  const responses: ImportResponse[] = (raw.responses ?? []).map((r) => ({
    model: r.model,
    content: r.content,
    externalId: r.id ?? null,
    metadata: r.metadata ?? null,
  }));
  const gold = raw.gold ? resolveGold(raw.gold, responses) : null;
  return buildRecord({
    line,
    externalId: raw.id ?? null,
    context,
    responses,
    metadata: raw.metadata ?? null,
    gold,
    pairs: null,
    reference: raw.reference ? referenceOf(raw.reference, responses) : null,
  }, rules);
}

/** Gold names responses by their id or model; the record keeps model names. */
function resolveGold(gold: { better: string; worse: string } | { tie: [string, string] }, responses: ImportResponse[]): Gold {
  const model = (ref: string) => {
    const found = responses.find((r) => r.externalId === ref) ?? responses.find((r) => r.model === ref);
    if (!found) throw new RecordError(`gold: "${ref}" is neither the id nor the model of a response of this record`);
    return found.model;
  };
  const [first, second] = 'tie' in gold ? gold.tie : [gold.better, gold.worse];
  const pair: [string, string] = [model(first), model(second)];
  if (pair[0] === pair[1]) throw new RecordError('gold: names the same response twice');
  return 'tie' in gold ? { tie: pair } : { better: pair[0], worse: pair[1] };
}

/** The reference is about the record's first two responses, by model. */
function referenceOf(choice: keyof typeof REFERENCE_CHOICE, responses: ImportResponse[]): ReferenceLabel {
  return { pair: [responses[0]!.model, responses[1]!.model], choice: REFERENCE_CHOICE[choice], source: 'native' };
}
