// OpenAssistant message trees (oasst1 `*_tree.jsonl`): one tree per line, {message_tree_id, prompt: message}, each
// message {message_id, text, role: prompter | assistant, replies: [...], rank?, model_name?, ...}.
import { z } from 'zod';
import { buildRecord, leftover, type RecordOutcome } from './build-record';
import { RecordError } from './record-error';
import { parseRecord } from './record-schema';
import type { ImportResponse, RecordRules, Turn } from './types';

/** The model label of a reply written by a person (OASST replies without `model_name`). */
export const OASST_HUMAN_MODEL = 'human';

interface OasstMessage {
  message_id: string;
  text: string;
  role: 'prompter' | 'assistant';
  rank?: number | null;
  model_name?: string | null;
  replies: OasstMessage[];
  [field: string]: unknown;
}

const ZMessage: z.ZodType<OasstMessage> = z.lazy(() =>
  z.looseObject({
    message_id: z.string().min(1),
    text: z.string(),
    role: z.enum(['prompter', 'assistant']),
    rank: z.number().int().min(0).nullable().optional(),
    model_name: z.string().nullable().optional(),
    replies: z.array(ZMessage).default([]),
  }),
);

const ZTree = z.looseObject({ message_tree_id: z.string().optional(), prompt: ZMessage });

/** Message fields read into the record; the rest is kept as response or record metadata (never shown to raters). */
const MESSAGE_FIELDS = ['message_id', 'parent_id', 'text', 'role', 'rank', 'model_name', 'replies'];

/**
 * Every prompter message with two or more ranked assistant replies is a record: its path from the root is
 * the context (a multi-turn conversation when it sits deeper in the tree), its ranked replies the
 * responses (model `model_name` or `human`, external id `message_id`), and the published `rank` (0 best;
 * equal ranks a tie) the reference ranking. Unranked replies are left out (nothing says where they stand);
 * a prompter message with replies but fewer than two ranked ones is skipped as `unrankedReplies`.
 */
export function oasstRecords(value: unknown, line: number, rules: RecordRules): RecordOutcome[] {
  const tree = parseRecord(ZTree, value, 'line');
  if (tree.prompt.role !== 'prompter') throw new RecordError('prompt: the root of a message tree must be a prompter message');
  const outcomes: RecordOutcome[] = [];
  const walk = (message: OasstMessage, path: Turn[]) => {
    const context = [...path, { role: message.role === 'prompter' ? 'user' : 'assistant', content: message.text } satisfies Turn];
    if (message.role === 'prompter' && message.replies.length > 0) outcomes.push(promptRecord(tree.message_tree_id ?? null, message, context, line, rules));
    for (const reply of message.replies) walk(reply, context);
  };
  walk(tree.prompt, []);
  return outcomes;
}

function promptRecord(treeId: string | null, message: OasstMessage, context: Turn[], line: number, rules: RecordRules): RecordOutcome {
  const ranked = message.replies
    .filter((r) => r.role === 'assistant' && typeof r.rank === 'number')
    .sort((x, y) => x.rank! - y.rank!);
  if (ranked.length < 2) return { skip: 'unrankedReplies' };
  const responses: ImportResponse[] = ranked.map((r) => ({
    model: r.model_name || OASST_HUMAN_MODEL,
    content: r.text,
    externalId: r.message_id,
    metadata: { rank: r.rank, ...leftover(r, MESSAGE_FIELDS) },
  }));
  const ranks = [...new Set(ranked.map((r) => r.rank!))];
  const referenceRanking = ranks.map((rank) => ranked.flatMap((r, i) => (r.rank === rank ? [i] : [])));
  return buildRecord(
    {
      line,
      externalId: message.message_id,
      context,
      responses,
      metadata: { ...(treeId === null ? {} : { message_tree_id: treeId }), ...leftover(message, MESSAGE_FIELDS) },
      gold: null,
      pairs: null,
      reference: null,
      referenceRanking: { groups: referenceRanking, source: 'oasst' },
    },
    rules,
  );
}
