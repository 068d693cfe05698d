// The chat completions request for one prompt: its conversation, the system prompt and the parameters.
import type { TGenerationParams } from '../../contract/model-endpoints';

export type ChatTurn = { role: 'system' | 'user' | 'assistant'; content: string };

export interface ChatCompletionBody {
  model: string;
  messages: ChatTurn[];
  temperature?: number;
  top_p?: number;
  max_tokens?: number;
  seed?: number;
  stop?: string[];
}

/** The job's overrides over the endpoint's defaults, field by field. */
export function effectiveParams(defaults: TGenerationParams, overrides: TGenerationParams): TGenerationParams {
  return { ...defaults, ...Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined)) };
}

/**
 * The request body. A conversation that brings its own system turn keeps it (it is part of the data);
 * the endpoint's system prompt is added only to conversations without one.
 */
export function chatCompletionBody(model: string, context: readonly ChatTurn[], params: TGenerationParams): ChatCompletionBody {
  const hasSystem = context.some((turn) => turn.role === 'system');
  const messages = params.systemPrompt && !hasSystem ? [{ role: 'system' as const, content: params.systemPrompt }, ...context] : [...context];
  return {
    model,
    messages,
    ...(params.temperature === undefined ? {} : { temperature: params.temperature }),
    ...(params.topP === undefined ? {} : { top_p: params.topP }),
    ...(params.maxTokens === undefined ? {} : { max_tokens: params.maxTokens }),
    ...(params.seed === undefined ? {} : { seed: params.seed }),
    ...(params.stop === undefined || params.stop.length === 0 ? {} : { stop: params.stop }),
  };
}
