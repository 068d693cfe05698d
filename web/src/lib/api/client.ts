// Typed fetch for the JSON API: every reply is parsed with its contract schema, every failure is an ApiError.
import type { z } from 'zod';
import { ZErrorBodySchema } from '$contract/errors';
import { ApiError } from './api-error';
import { takePrefetched } from './prefetch';

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

/** A request whose reply is ok (2xx); any other reply or a network failure throws an ApiError. */
export async function send(method: Method, path: string, body?: unknown): Promise<Response> {
  let response: Response;
  try {
    const init: RequestInit = {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    };
    response = await ((method === 'GET' && takePrefetched(path)) || fetch(path, init));
  } catch {
    throw new ApiError(0, 'NETWORK', 'Cannot reach the server. Check your connection and try again.');
  }
  if (!response.ok) throw await errorFrom(response);
  return response;
}

/** The ApiError a failed reply stands for (also for replies read outside apiRequest: uploads, streamed downloads). */
export async function errorFrom(response: Response): Promise<ApiError> {
  const parsed = ZErrorBodySchema.safeParse(await response.json().catch(() => null));
  if (parsed.success) {
    const { code, message, details } = parsed.data.error;
    return new ApiError(response.status, code, message, details);
  }
  return new ApiError(response.status, 'BAD_RESPONSE', `The server answered ${response.status} ${response.statusText}.`);
}

/** A success reply parsed with its contract schema. */
export async function parse<T extends z.ZodType>(response: Response, schema: T): Promise<z.infer<T>> {
  const parsed = schema.safeParse(await response.json().catch(() => undefined));
  if (!parsed.success) {
    throw new ApiError(response.status, 'BAD_RESPONSE', 'The server sent a reply this page does not understand. Reload the page.', parsed.error.issues);
  }
  return parsed.data;
}

/** A call whose success reply is JSON matching `schema`. */
export async function apiRequest<T extends z.ZodType>(method: Method, path: string, schema: T, body?: unknown): Promise<z.infer<T>> {
  return parse(await send(method, path, body), schema);
}

/** A call whose success reply carries nothing we need (logout, delete). */
export async function apiSend(method: Method, path: string, body?: unknown): Promise<void> {
  await send(method, path, body);
}
