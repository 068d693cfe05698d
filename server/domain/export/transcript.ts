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

/**
 * trl with prompt=plain (the default): TRL's own examples give the prompt as its text. A context of one user
 * turn is exactly that; a longer one (a system turn, earlier exchanges) has no plain form, so its line is
 * written as with prompt=explicit, in the transcript convention, and says so by its markers.
 */
export const PLAIN_PROMPT_CONVENTION =
  'trl with prompt=plain (the default): the prompt is the text of the single user turn and chosen/rejected ' +
  'are the response texts, byte for byte, with nothing added (as in TRL\'s own examples). A prompt with ' +
  'more than one turn (a system turn or earlier exchanges) has no plain form: its line is written as ' +
  'prompt=explicit writes it, in the HH-RLHF transcript convention (prompt ending with "\\n\\nAssistant:", ' +
  'completions starting with a space). For multi-turn data, trl-conversational keeps every turn as a message.';

/** The single user turn's text, or null when the context has no plain form (see PLAIN_PROMPT_CONVENTION). */
export function plainPrompt(context: readonly Turn[]): string | null {
  return context.length === 1 && context[0]!.role === 'user' ? context[0]!.content : null;
}

/** The context as a prompt that a completion continues: the space after the final marker belongs to the completion. */
export function transcriptPrompt(context: readonly Turn[]): string {
  return flattenTurns(context) + ASSISTANT.trimEnd();
}

/** A completion that, appended to transcriptPrompt(context), gives the full transcript. */
export function transcriptCompletion(response: string): string {
  return ' ' + response;
}
