// Model endpoints (admin): OpenAI-compatible chat completions servers, and the parameters sent to them.
import { z } from 'zod';

/** Generation parameters: an endpoint's defaults, overridden per job. */
export const ZGenerationParamsSchema = z.strictObject({
  systemPrompt: z.string().max(100_000).optional(),
  temperature: z.number().min(0).max(2).optional(),
  topP: z.number().gt(0).max(1).optional(),
  maxTokens: z.number().int().min(1).max(1_000_000).optional(),
  seed: z.number().int().min(-(2 ** 53) + 1).max(2 ** 53 - 1).optional(),
  stop: z.array(z.string().min(1).max(1000)).max(4).optional(),
});
export type TGenerationParams = z.infer<typeof ZGenerationParamsSchema>;

const ZBaseUrlSchema = z
  .string()
  .trim()
  .max(2000)
  .pipe(z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL such as http://gpu-box:8000/v1' }));

const endpointSettings = {
  /** The model label of its responses (admins only; raters never see it). */
  name: z.string().trim().min(1, 'give the endpoint a name').max(200),
  baseUrl: ZBaseUrlSchema,
  /** The server's model id (`model` in the request). */
  model: z.string().trim().min(1, 'give the model id the server expects').max(500),
  params: ZGenerationParamsSchema,
  maxConcurrency: z.number().int().min(1).max(1024),
  /** null: no per-minute limit. */
  requestsPerMinute: z.number().int().min(1).max(1_000_000).nullable(),
  /** Ask for server-sent events (some proxies cut long silent requests). */
  stream: z.boolean(),
  timeoutSeconds: z.number().int().min(1).max(3600),
};

export const ZCreateModelEndpointRequestSchema = z.strictObject({
  ...endpointSettings,
  params: endpointSettings.params.default({}),
  maxConcurrency: endpointSettings.maxConcurrency.default(4),
  requestsPerMinute: endpointSettings.requestsPerMinute.default(null),
  stream: endpointSettings.stream.default(false),
  timeoutSeconds: endpointSettings.timeoutSeconds.default(300),
  /** Write-only: stored encrypted, never returned. */
  apiKey: z.string().min(1).max(10_000).optional(),
});
export type TCreateModelEndpointRequest = z.input<typeof ZCreateModelEndpointRequestSchema>;

export const ZUpdateModelEndpointRequestSchema = z
  .strictObject({ ...endpointSettings, apiKey: z.string().min(1).max(10_000).nullable() })
  .partial()
  .refine((u) => Object.keys(u).length > 0, { message: 'give at least one field to change' });
export type TUpdateModelEndpointRequest = z.infer<typeof ZUpdateModelEndpointRequestSchema>;

export const ZModelEndpointIdParamsSchema = z.object({ id: z.uuid('not a model endpoint id') });

export const ZModelEndpointSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  baseUrl: z.string(),
  model: z.string(),
  params: ZGenerationParamsSchema,
  maxConcurrency: z.number().int(),
  requestsPerMinute: z.number().int().nullable(),
  stream: z.boolean(),
  timeoutSeconds: z.number().int(),
  /** Whether a key is stored; the key itself is never returned. */
  apiKeySet: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type TModelEndpoint = z.infer<typeof ZModelEndpointSchema>;

export const ZModelEndpointListSchema = z.object({ endpoints: z.array(ZModelEndpointSchema) });

/** One short request: the answer and latency, or the server's error. */
export const ZTestConnectionResponseSchema = z.object({
  ok: z.boolean(),
  latencyMs: z.number(),
  answer: z.string().optional(),
  finishReason: z.string().nullable().optional(),
  error: z.object({ status: z.number().int().nullable(), message: z.string() }).optional(),
});
export type TTestConnectionResponse = z.infer<typeof ZTestConnectionResponseSchema>;
