// Typed fetch for the JSON API: every reply is parsed with its contract schema, every failure is an ApiError.
import type { z } from 'zod';
import { ZErrorBodySchema } from '$contract/errors';
import { ApiError } from './api-error';

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

async function send(method: Method, path: string, body?: unknown): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
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

/** A call that may answer 204 No Content (null), e.g. when nothing is left to rate. */
export async function apiRequestOptional<T extends z.ZodType>(method: Method, path: string, schema: T, body?: unknown): Promise<z.infer<T> | null> {
  const response = await send(method, path, body);
  return response.status === 204 ? null : parse(response, schema);
}

/** A call whose success reply carries nothing we need (logout, delete). */
export async function apiSend(method: Method, path: string, body?: unknown): Promise<void> {
  await send(method, path, body);
}
