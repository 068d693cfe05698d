// Error codes the API answers with, their HTTP status, when each fires, and the error body's schema.
// A client branches on the code, never on the message; each code names one situation a client can act on.
import { z } from 'zod';

/** Every coded error, with its HTTP status. Messages are written where the error is raised. */
export const ERROR_STATUS = {
  /** The request's params, query or body do not match its schema (details.issues: path and message each), or Fastify refused it as malformed (bad JSON...). */
  VALIDATION_FAILED: 400,
  /** An import file has bad records (details.errors: line and message each, details.totalErrors), or a multipart upload lacks a part. Nothing was stored. */
  IMPORT_INVALID: 400,
  /** An import file holds no usable record (details.skipped counts what was passed over and why). Nothing was stored. */
  IMPORT_EMPTY: 400,
  /** `?format=` names no import format this server reads. */
  UNKNOWN_FORMAT: 400,
  /** A model endpoint's URL names a cloud metadata address (169.254.169.254, fd00:ec2::254...). */
  ENDPOINT_ADDRESS_BLOCKED: 400,
  /** A single sign-on that could not be completed (details.reason): state or nonce not matching, a code expired or used, the provider refusing or unreachable, the sign-in started in another browser. Start again from the login page. */
  SSO_FAILED: 400,
  /** No session or API token, or one that expired or was revoked (also /metrics without its bearer token): log in again. */
  UNAUTHENTICATED: 401,
  /** Login with a wrong email or password. */
  INVALID_CREDENTIALS: 401,
  /** Logged in but not allowed: a rater on an admin route, a deactivated account, an API token on a session-only route. */
  FORBIDDEN: 403,
  /** A single sign-on the provider completed but Juxta refuses (details.reason): email domain not allowed, email not verified, no account or invite, an admin account (never joined by email), a deactivated account. */
  SSO_REFUSED: 403,
  /** Password login by a non-admin while OIDC_PASSWORD_LOGIN_ADMINS_ONLY is set: sign in with the provider. */
  PASSWORD_LOGIN_OFF: 403,
  /** A cookie-authenticated write without an Origin header, or from another site than PUBLIC_URL's. */
  CROSS_ORIGIN: 403,
  /** A rater acting in a campaign they are not (or no longer) a rater of, or from which they were excluded. */
  NOT_A_MEMBER: 403,
  /** An API token without the scope the route declares (details name it), or limited to other campaigns. */
  INSUFFICIENT_SCOPE: 403,
  /** The id in the path names nothing the caller may see (a rater gets this for other raters' assignments too). */
  NOT_FOUND: 404,
  /** Accepting an invite as a new account whose email was registered a moment earlier: log in, or accept with that account's password. */
  ACCOUNT_EXISTS: 409,
  /** Deactivating one's own account: another admin must do it. */
  CANNOT_DEACTIVATE_SELF: 409,
  /** Changing one's own role: another admin must do it. */
  CANNOT_CHANGE_OWN_ROLE: 409,
  /** Deactivating or demoting the last active admin: make another admin first. */
  LAST_ADMIN: 409,
  /** Adding a deactivated account to a campaign's raters: reactivate it first. */
  USER_INACTIVE: 409,
  /** Making a rater of a campaign its reviewer, or a reviewer its rater (a reviewer sees the other raters' answers): choose another account. */
  RATER_REVIEWER_CONFLICT: 409,
  /** Making an admin a campaign's reviewer: admins review every campaign already; choose a rater account. */
  ALREADY_ADMIN: 409,
  /** A name that must be unique is taken (a model endpoint's): choose another. */
  NAME_TAKEN: 409,
  /** A judgment retried with an idempotency key already used for a different answer. */
  IDEMPOTENCY_CONFLICT: 409,
  /** A judgment whose lease expired and went to another rater: the answer is not counted; carry on with `next`. */
  LEASE_LOST: 409,
  /** A judgment on an assignment the rater skipped or flagged: drop the answer. */
  ASSIGNMENT_RELEASED: 409,
  /** Rater actions in a DRAFT or ARCHIVED campaign (and new claims in a PAUSED one). */
  CAMPAIGN_NOT_ACTIVE: 409,
  /** Judging, skipping or flagging an assignment already judged: undo first. */
  ALREADY_JUDGED: 409,
  /** Undoing a judgment that is not the rater's last, or after the undo window. */
  UNDO_WINDOW_PASSED: 409,
  /** Changing a campaign's task type once comparisons were imported for it (kept for the ranking task's design changes). */
  DESIGN_LOCKED: 409,
  /** A campaign status change outside Draft -> Active <-> Paused, any -> Archived, Archived -> Paused. */
  STATUS_CHANGE_NOT_ALLOWED: 409,
  /** Going Active without comparisons or without an answered content warning; details.missing names each. */
  CAMPAIGN_NOT_READY: 409,
  /** Deleting a campaign that is Active or Paused, or one with an import running. */
  CAMPAIGN_NOT_DELETABLE: 409,
  /** Adjudicating a comparison that cannot take it; details.reason: gold, removed, incomplete (fewer than k judgments) or unanimous. */
  NOT_ADJUDICABLE: 409,
  /** An import whose client-chosen `importId` was used before: pick a new UUID. */
  IMPORT_ID_TAKEN: 409,
  /** An import into a campaign that has one running (details.importId): wait for it, then upload again. */
  IMPORT_RUNNING: 409,
  /** An import cleaned up as abandoned while it still ran (its heartbeat stalled): nothing was stored; upload again. */
  IMPORT_ABANDONED: 409,
  /** An API key was given but the server has no JUXTA_SECRET_KEY to encrypt it with. */
  SECRET_KEY_MISSING: 409,
  /** A generation job cannot do that in its state (resume a cancelled job, pause a finished one...). */
  GENERATION_JOB_STATE: 409,
  /** An invite link (or the setup link) that was used already: log in, or ask for a new link. */
  INVITE_USED: 410,
  /** An invite link past its expiry: ask for a new one. */
  INVITE_EXPIRED: 410,
  /** An invite link an admin revoked (or revoking one twice): ask for a new one. */
  INVITE_REVOKED: 410,
  /** A password reset link that was used already (or closed by a later change of password): log in, or ask for a new link. */
  RESET_LINK_USED: 410,
  /** A password reset link past its expiry: ask for a new one. */
  RESET_LINK_EXPIRED: 410,
  /** A campaign join link that has taken as many people as its cap allows: ask an admin for a new link, or log in. */
  JOIN_LINK_USED_UP: 410,
  /** A campaign join link past its expiry: ask an admin for a new link, or log in. */
  JOIN_LINK_EXPIRED: 410,
  /** A campaign join link an admin revoked, or replaced by a newer one (details.state: revoked or replaced): ask for the current link, or log in. */
  JOIN_LINK_CLOSED: 410,
  /** Two admins made a campaign's join link at the same moment: reload to see the one that was made. */
  JOIN_LINK_CHANGED: 409,
  /** Asking for a reset link by email on a server without SMTP_URL: ask an admin for a link instead. */
  RESET_BY_EMAIL_OFF: 404,
  /** The request's head did not arrive within Node's time limit (answered before any route runs). */
  REQUEST_TIMEOUT: 408,
  /** A body over the route's limit (an import over IMPORT_MAX_BYTES, a bulk invite list over 1,000 lines): split it. */
  PAYLOAD_TOO_LARGE: 413,
  /** A path parameter longer than the router takes (100 characters). */
  URL_TOO_LONG: 414,
  /** A body whose Content-Type the route does not read (an import that is not JSONL, JSON, CSV or multipart). */
  UNSUPPORTED_MEDIA_TYPE: 415,
  /** Too many password attempts (per address or per account; details.retryAfterSeconds), or too many requests in flight: wait and retry. */
  RATE_LIMITED: 429,
  /** The request's head (URL and headers) is larger than Node accepts (16 KiB). */
  HEADERS_TOO_LARGE: 431,
  /** Anything unexpected: logged under the request id; the message says nothing more. */
  INTERNAL: 500,
  /** An import stopped before it finished: the server is shutting down (or its client went away); nothing was stored. */
  IMPORT_CANCELLED: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export const ZErrorBodySchema = z.object({
  error: z.object({
    /**
     * One of ERROR_STATUS's codes, by type (the web's handling of codes is exhaustive: web/src/lib/api/error-remedy.ts).
     * At run time any string passes (a plain string schema, typed by a cast: even z.custom costs the rater's
     * first paint bytes it does not have; the list would cost 0.6 KB), and
     * a page built before a new code still reads the body and shows its message.
     */
    code: z.string() as z.ZodType<ErrorCode, string>,
    message: z.string(),
    details: z.unknown().optional(),
    /** The request's id (also the X-Request-Id header): quote it when reporting a problem; the log line carries it. */
    requestId: z.string().optional(),
  }),
});
export type TErrorBody = z.infer<typeof ZErrorBodySchema>;
