// Error codes the API answers with, their HTTP status, and the error body's schema.
import { z } from 'zod';

/** Every coded error, with its HTTP status. Messages are written where the error is raised. */
export const ERROR_STATUS = {
  VALIDATION_FAILED: 400,
  IMPORT_INVALID: 400,
  IMPORT_EMPTY: 400,
  UNKNOWN_FORMAT: 400,
  /** A model endpoint's URL names a cloud metadata address (169.254.169.254, fd00:ec2::254...). */
  ENDPOINT_ADDRESS_BLOCKED: 400,
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  FORBIDDEN: 403,
  CROSS_ORIGIN: 403,
  NOT_A_MEMBER: 403,
  /** An API token without the scope the route declares, or limited to other campaigns. */
  INSUFFICIENT_SCOPE: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  IDEMPOTENCY_CONFLICT: 409,
  LEASE_LOST: 409,
  CAMPAIGN_NOT_ACTIVE: 409,
  ALREADY_JUDGED: 409,
  UNDO_WINDOW_PASSED: 409,
  DESIGN_LOCKED: 409,
  /** A campaign status change outside Draft -> Active <-> Paused, any -> Archived, Archived -> Paused. */
  STATUS_CHANGE_NOT_ALLOWED: 409,
  /** Going Active without comparisons or without an answered content warning; details.missing names each. */
  CAMPAIGN_NOT_READY: 409,
  /** Deleting a campaign that is Active or Paused, or one with an import running. */
  CAMPAIGN_NOT_DELETABLE: 409,
  /** An API key was given but the server has no JUXTA_SECRET_KEY to encrypt it with. */
  SECRET_KEY_MISSING: 409,
  /** A generation job cannot do that in its state (resume a cancelled job, pause a finished one...). */
  GENERATION_JOB_STATE: 409,
  INVITE_USED: 410,
  INVITE_EXPIRED: 410,
  /** The request's head did not arrive within Node's time limit (answered before any route runs). */
  REQUEST_TIMEOUT: 408,
  PAYLOAD_TOO_LARGE: 413,
  /** A path parameter longer than the router takes (100 characters). */
  URL_TOO_LONG: 414,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  /** The request's head (URL and headers) is larger than Node accepts (16 KiB). */
  HEADERS_TOO_LARGE: 431,
  INTERNAL: 500,
  DATABASE_UNAVAILABLE: 503,
  /** An import stopped before it finished: the server is shutting down (or its client went away); nothing was stored. */
  IMPORT_CANCELLED: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export const ZErrorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.unknown().optional(),
    /** The request's id (also the X-Request-Id header): quote it when reporting a problem; the log line carries it. */
    requestId: z.string().optional(),
  }),
});
export type TErrorBody = z.infer<typeof ZErrorBodySchema>;
