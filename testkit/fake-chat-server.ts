// A chat completions server on loopback that speaks the protocol as OpenAI documents it: JSON answers,
// SSE streams of chat.completion.chunk ending in `data: [DONE]`, `usage`, and the failures a real one
// shows (429 with Retry-After, 500, slow and dropped streams, a wrong content type, a 400 with a message).
// The model id picks the behaviour: "echo", "rate-limited", "flaky", "slow", "drop", "html", "reject",
// "reject-once" (a 400 to the first request for a prompt only),
// "length", "empty", "stuck". Tests read what it received.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  model: string;
  prompt: string;
  stream: boolean;
  authorization: string | undefined;
  body: Record<string, unknown>;
  at: number;
}

export interface FakeChatServer {
  url: string;
  port: number;
  received: ReceivedRequest[];
  /** Highest number of requests in progress at once, per model. */
  maxInFlight: Map<string, number>;
  /** Requests per model per prompt, to fail only the first ones. */
  close(): Promise<void>;
  /** Answer latency for "slow", in ms. */
  slowMs: number;
}

const words = (text: string) => Math.max(1, text.split(/\s+/).filter(Boolean).length);

/** `record: false` (benchmarks): keep neither the requests nor the attempt counts, so memory stays flat over many. */
export async function startFakeChatServer(options: { slowMs?: number; record?: boolean } = {}): Promise<FakeChatServer> {
  const record = options.record ?? true;
  const received: ReceivedRequest[] = [];
  const inFlight = new Map<string, number>();
  const maxInFlight = new Map<string, number>();
  const attempts = new Map<string, number>();
  let served = 0;
  const state = { slowMs: options.slowMs ?? 300 };

  const server: Server = createServer((req, res) => {
    if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: `no route ${req.method} ${req.url}` } }));
      return;
    }
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (raw += chunk));
    req.on('end', () => {
      const body = JSON.parse(raw) as { model: string; messages: { role: string; content: string }[]; stream?: boolean; max_tokens?: number };
      const prompt = body.messages.at(-1)?.content ?? '';
      if (record) received.push({ model: body.model, prompt, stream: body.stream === true, authorization: req.headers.authorization, body, at: Date.now() });
      const now = (inFlight.get(body.model) ?? 0) + 1;
      inFlight.set(body.model, now);
      maxInFlight.set(body.model, Math.max(maxInFlight.get(body.model) ?? 0, now));
      res.on('close', () => inFlight.set(body.model, (inFlight.get(body.model) ?? 1) - 1));
      const key = record ? `${body.model}\u0000${JSON.stringify(body.messages)}` : '';
      const attempt = (attempts.get(key) ?? 0) + 1;
      if (record) attempts.set(key, attempt);
      served += 1;
      void answer(req, res, body, prompt, attempt, served);
    });
  });

  async function answer(
    _req: IncomingMessage,
    res: ServerResponse,
    body: { model: string; stream?: boolean; max_tokens?: number },
    prompt: string,
    attempt: number,
    serial: number,
  ): Promise<void> {
    const model = body.model;
    const error = (status: number, message: string, headers: Record<string, string> = {}) =>
      res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify({ error: { message, type: 'invalid_request_error', code: null } }));
    if (model === 'rate-limited' && attempt === 1) return void error(429, 'Rate limit reached, slow down', { 'retry-after': '1' });
    if (model === 'flaky' && attempt === 1) return void error(500, 'The server had an error while processing your request');
    if (model === 'reject' || (model === 'reject-once' && attempt === 1)) return void error(400, 'This model does not exist: ask for one the server serves');
    if (model === 'html') return void res.writeHead(200, { 'content-type': 'text/html' }).end('<html><body>Welcome to nginx!</body></html>');
    if (model === 'stuck') return; // never answers: the client's timeout must fire
    if (model === 'slow') await new Promise((r) => setTimeout(r, state.slowMs));
    const finish = model === 'length' ? 'length' : 'stop';
    const content = model === 'empty' ? '' : `Answer ${serial} to: ${prompt}`;
    const usage = { prompt_tokens: words(prompt), completion_tokens: words(content), total_tokens: words(prompt) + words(content) };
    const id = `chatcmpl-${serial}`;
    const created = Math.floor(Date.now() / 1000);
    if (!body.stream) {
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          id,
          object: 'chat.completion',
          created,
          model,
          choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: finish, logprobs: null }],
          usage,
        }),
      );
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    res.flushHeaders();
    const send = (data: unknown) => res.write(`data: ${JSON.stringify(data)}\n\n`);
    const chunk = (delta: object, finishReason: string | null) => ({ id, object: 'chat.completion.chunk', created, model, choices: [{ index: 0, delta, finish_reason: finishReason }] });
    send(chunk({ role: 'assistant', content: '' }, null));
    const pieces = content.match(/.{1,8}/gs) ?? [];
    for (const [i, piece] of pieces.entries()) {
      send(chunk({ content: piece }, null));
      if (model === 'drop' && attempt === 1 && i === 1) {
        await new Promise((r) => setTimeout(r, 20)); // let the first pieces reach the client
        res.socket?.destroy(); // then the connection dies mid-stream
        return;
      }
      if (model === 'slow') await new Promise((r) => setTimeout(r, 5));
    }
    send(chunk({}, finish));
    send({ id, object: 'chat.completion.chunk', created, model, choices: [], usage });
    res.end('data: [DONE]\n\n');
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    port,
    received,
    maxInFlight,
    get slowMs() {
      return state.slowMs;
    },
    set slowMs(ms: number) {
      state.slowMs = ms;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
