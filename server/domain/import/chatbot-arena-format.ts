// LMSYS Chatbot Arena battles: {question_id, model_a, model_b, conversation_a, conversation_b, winner, ...}.
import { z } from 'zod';
import { buildRecord, leftover, type RecordOutcome } from './build-record';
import { parseRecord, ZExternalId, ZTurn } from './record-schema';
import type { RecordRules, ReferenceChoice } from './types';

const WINNERS = { model_a: 'first', model_b: 'second', tie: 'tie', 'tie (bothbad)': 'both_bad' } as const;

const ZConversation = z
  .array(ZTurn)
  .min(2)
  .refine((turns) => turns.at(-1)!.role === 'assistant' && turns.at(-2)!.role === 'user', {
    message: 'must end with a user turn and the model’s assistant reply',
  });

const ZArenaRecord = z.looseObject({
  question_id: ZExternalId,
  model_a: z.string().min(1),
  model_b: z.string().min(1),
  conversation_a: ZConversation,
  conversation_b: ZConversation,
  winner: z.enum(Object.keys(WINNERS) as [keyof typeof WINNERS]).nullish(),
});

/** Multi-turn battles usually diverge (each model answered the earlier turns itself): divergentContext. */
export function chatbotArenaRecord(value: unknown, line: number, rules: RecordRules): RecordOutcome {
  const raw = parseRecord(ZArenaRecord, value, 'line');
  const context = raw.conversation_a.slice(0, -1);
  if (JSON.stringify(context) !== JSON.stringify(raw.conversation_b.slice(0, -1))) {
    return { skip: 'divergentContext' };
  }
  const pair: [string, string] = [raw.model_a, raw.model_b];
  const choice: ReferenceChoice | null = raw.winner ? WINNERS[raw.winner] : null;
  return buildRecord({
    line,
    externalId: raw.question_id,
    context,
    responses: [
      { model: raw.model_a, content: raw.conversation_a.at(-1)!.content, externalId: null, metadata: null },
      { model: raw.model_b, content: raw.conversation_b.at(-1)!.content, externalId: null, metadata: null },
    ],
    metadata: leftover(raw, ['question_id', 'model_a', 'model_b', 'conversation_a', 'conversation_b', 'winner']),
    gold: null,
    pairs: [pair],
    reference: choice ? { pair, choice, source: 'chatbot-arena' } : null,
  }, rules);
}
