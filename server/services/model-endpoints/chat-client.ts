// Sends one chat completions request to a model endpoint, as JSON or as a stream, through the official
// `openai` client (its own retries off: the generation job's retry rule is ours) and the guarded fetch.
// Generation jobs use it; a live mode (a rater chatting with two anonymous endpoints) can use `onDelta`.
import type OpenAI from 'openai';
import type { ChatCompletionBody } from '../../domain/generation/chat-request';
import { parseRetryAfter } from '../../domain/generation/retry-delay';
import { guardedFetch, isBlockedAddressError } from './guarded-fetch';

/** Where and how to send: a model endpoint with its key decrypted (keep it in memory only). */
export interface ChatTarget {
  baseUrl: string;
  apiKey: string | null;
  stream: boolean;
  timeoutSeconds: number;
}

export interface ChatResult {
  content: string;
  finishReason: string | null;
  usage: { promptTokens: number; completionTokens: number } | null;
  latencyMs: number;
}

/**
 * Why a request failed. `retryable`: 429, 5xx, 408, timeouts, connection errors and dropped streams;
 * otherwise the item fails with `message` (the server's own words for a 4xx).
 */
export class ChatError extends Error {
  override name = 'ChatError';
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly status: number | null = null,
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
  }
}

export interface ChatOptions {
  /** Called with each piece of text as it streams in (stream mode only). */
  onDelta?: (text: string) => void;
  /** Aborts the request (shutdown, a cancelled job); reported as a retryable ChatError. */
  signal?: AbortSignal;
}

const clients = new Map<string, OpenAI>();
/** The client library loads with the first request: a server that never generates never holds it. */
let openaiModule: Promise<typeof import('openai')> | null = null;
const loadOpenAI = async (): Promise<typeof OpenAI> => (await (openaiModule ??= import('openai'))).default;

/** One client per base URL and key (each keeps its connection pool); maxRetries 0: retries are the job's. */
async function clientFor(target: ChatTarget): Promise<OpenAI> {
  const id = `${target.baseUrl}\u0000${target.apiKey ?? ''}`;
  let client = clients.get(id);
  if (!client) {
    const OpenAI = await loadOpenAI();
    client = new OpenAI({
      baseURL: target.baseUrl,
      // The client insists on a key; without one the Authorization header is removed below.
      apiKey: target.apiKey ?? 'no-key',
      // Named explicitly so that nothing is read from the server's own OPENAI_* environment.
      organization: null,
      project: null,
      adminAPIKey: null,
      webhookSecret: null,
      maxRetries: 0,
      logLevel: 'off',
      fetch: guardedFetch,
      defaultHeaders: target.apiKey ? {} : { Authorization: null },
    });
    if (clients.size > 1000) clients.clear();
    clients.set(id, client);
  }
  return client;
}

const contentTypeOf = (response: Response) => (response.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();

/** Sends `body` to `target`; resolves with the answer or rejects with a ChatError. */
export async function sendChat(target: ChatTarget, body: ChatCompletionBody, options: ChatOptions = {}): Promise<ChatResult> {
  const started = performance.now();
  // One controller stops the request at the deadline or when the caller's signal fires (a listener rather
  // than AbortSignal.any: a generation worker sends every request under one long-lived signal).
  const stop = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    stop.abort();
  }, target.timeoutSeconds * 1000);
  const callerStopped = () => stop.abort();
  if (options.signal?.aborted) stop.abort();
  else options.signal?.addEventListener('abort', callerStopped, { once: true });
  try {
    const client = await clientFor(target);
    const result = target.stream ? await streamed(client, body, stop.signal, options.onDelta) : await plain(client, body, stop.signal);
    return { ...result, latencyMs: Math.round(performance.now() - started) };
  } catch (err) {
    throw classify(await loadOpenAI(), err, timedOut ? `no complete answer within ${target.timeoutSeconds} s` : null);
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', callerStopped);
  }
}

type Answer = Omit<ChatResult, 'latencyMs'>;

async function plain(client: OpenAI, body: ChatCompletionBody, signal: AbortSignal): Promise<Answer> {
  const { data, response } = await client.chat.completions.create({ ...body, stream: false }, { signal }).withResponse();
  if (contentTypeOf(response) !== 'application/json') throw wrongContentType(response, 'application/json');
  const choice = (data as Partial<OpenAI.ChatCompletion>).choices?.[0];
  if (!choice || typeof choice.message?.content !== 'string' && choice.message?.content !== null) {
    throw new ChatError('the server answered JSON without choices[0].message.content: is it a chat completions API?', false, response.status);
  }
  return { content: choice.message.content ?? '', finishReason: choice.finish_reason ?? null, usage: usageOf(data.usage) };
}

async function streamed(client: OpenAI, body: ChatCompletionBody, signal: AbortSignal, onDelta?: (text: string) => void): Promise<Answer> {
  const { data: stream, response } = await client.chat.completions
    .create({ ...body, stream: true, stream_options: { include_usage: true } }, { signal })
    .withResponse();
  if (contentTypeOf(response) !== 'text/event-stream') {
    stream.controller.abort();
    throw wrongContentType(response, 'text/event-stream');
  }
  let content = '';
  let finishReason: string | null = null;
  let usage: Answer['usage'] = null;
  for await (const chunk of stream) {
    const choice = chunk.choices?.[0];
    const delta = choice?.delta?.content;
    if (delta) {
      content += delta;
      onDelta?.(delta);
    }
    if (choice?.finish_reason) finishReason = choice.finish_reason;
    if (chunk.usage) usage = usageOf(chunk.usage);
  }
  // A stream that closes without a finish reason was cut (the server died, a proxy dropped it).
  if (finishReason === null) throw new ChatError('the stream ended before the server finished its answer', true);
  return { content, finishReason, usage };
}

function usageOf(usage: OpenAI.CompletionUsage | null | undefined): Answer['usage'] {
  if (!usage || typeof usage.prompt_tokens !== 'number' || typeof usage.completion_tokens !== 'number') return null;
  return { promptTokens: usage.prompt_tokens, completionTokens: usage.completion_tokens };
}

function wrongContentType(response: Response, expected: string): ChatError {
  const got = contentTypeOf(response) || 'no content type';
  return new ChatError(`the server answered ${got}, not ${expected}: check that the base URL is the API's (it usually ends in /v1)`, false, response.status);
}

/** Any failure as a ChatError, with the server's own message for HTTP errors. */
function classify(OpenAI: typeof import('openai').default, err: unknown, timedOut: string | null): ChatError {
  if (err instanceof ChatError) return err;
  if (timedOut) return new ChatError(timedOut, true);
  const blocked = isBlockedAddressError(err);
  if (blocked) return new ChatError(blocked.message, false);
  if (err instanceof OpenAI.APIUserAbortError) return new ChatError('the request was stopped', true);
  if (err instanceof OpenAI.APIConnectionTimeoutError) return new ChatError('the request timed out', true);
  if (err instanceof OpenAI.APIConnectionError) return new ChatError(`could not reach the server (${innermost(err)})`, true);
  if (err instanceof OpenAI.APIError && typeof err.status === 'number') {
    const status = err.status;
    const retryable = status === 408 || status === 409 || status === 429 || status >= 500;
    const retryAfter = parseRetryAfter(err.headers?.get('retry-after'), new Date());
    return new ChatError(serverMessage(err), retryable, status, retryAfter);
  }
  // A body cut mid-way (TypeError: terminated, ECONNRESET while streaming): send again.
  return new ChatError(`the connection broke: ${innermost(err)}`, true);
}

/** The deepest cause's code or message: "ECONNREFUSED" says more than "fetch failed". */
function innermost(err: unknown): string {
  let found = err instanceof Error ? err.message : String(err);
  for (let e = (err as { cause?: unknown }).cause, depth = 0; e && depth < 6; e = (e as { cause?: unknown }).cause, depth++) {
    const { code, message } = e as { code?: unknown; message?: unknown };
    found = typeof code === 'string' ? code : typeof message === 'string' ? message : found;
  }
  return found;
}

/** "429 Too many requests" style: the status and the server's message, never our request (it may hold the key). */
function serverMessage(err: InstanceType<typeof OpenAI.APIError>): string {
  const text = err.message.length > 2000 ? `${err.message.slice(0, 2000)}…` : err.message;
  return text;
}
