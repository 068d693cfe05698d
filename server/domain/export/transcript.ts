// The one place that says how a multi-turn context becomes a single string (standard formats and hh-rlhf).

import type { Turn } from './types';

const HUMAN = '\n\nHuman: ';
const ASSISTANT = '\n\nAssistant: ';
const SYSTEM = '\n\nSystem: ';

/** For the dataset card: how the string formats render a conversation. */
export const TRANSCRIPT_CONVENTION =
  'String formats (trl, kto, hh-rlhf) render a conversation in the Anthropic HH-RLHF transcript ' +
  'convention: each user turn as "\\n\\nHuman: " + text and each assistant turn as ' +
  '"\\n\\nAssistant: " + text, concatenated with nothing else; turn text is kept byte for byte. ' +
  'A leading system turn is written as bare text before the first "\\n\\nHuman: " (the convention of ' +
  'Anthropic\'s legacy text completions); a later system turn as "\\n\\nSystem: " + text. ' +
  'With an explicit prompt, the prompt ends with "\\n\\nAssistant:" and each completion starts with ' +
  'the single space that follows it, so prompt + completion is exactly the full transcript.';

function renderTurn(turn: Turn, index: number): string {
  if (turn.role === 'user') return HUMAN + turn.content;
  if (turn.role === 'assistant') return ASSISTANT + turn.content;
  return index === 0 ? turn.content : SYSTEM + turn.content;
}

/** The transcript of a conversation; the exact inverse of splitting an HH-RLHF transcript at its markers. */
export function flattenTurns(turns: readonly Turn[]): string {
  return turns.map(renderTurn).join('');
}

/** The context as a prompt that a completion continues: the space after the final marker belongs to the completion. */
export function transcriptPrompt(context: readonly Turn[]): string {
  return flattenTurns(context) + ASSISTANT.trimEnd();
}

/** A completion that, appended to transcriptPrompt(context), gives the full transcript. */
export function transcriptCompletion(response: string): string {
  return ' ' + response;
}
