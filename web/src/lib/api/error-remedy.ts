// What the web app does about a failed request, decided once for every error code: the lists below name
// each code, so a code added to server/contract/errors.ts does not typecheck here until someone places it.
// The lists are types: the rater's first paint has no bytes to spare for them.
import type { ApiErrorCode } from './api-error';

/**
 * What the web app does with each code (the lists below), decided here once:
 * retry (RetryCode): send the same request again later; rater-outbox.ts isRetryable retries by these codes' statuses (0, 408, 429, 500, 503);
 * log in (LogInCode): the session is gone; the rater loop keeps what is unsent and asks for a login (status 401);
 * campaign closed (CampaignClosedCode): stop asking for work in the campaign (rater-loop.svelte.ts, rater.ts);
 * show (ShowCode): refused for good: show the message, which says what to do, and do not resend.
 */
export type RetryCode = 'NETWORK' | 'REQUEST_TIMEOUT' | 'RATE_LIMITED' | 'INTERNAL' | 'IMPORT_CANCELLED';
export type LogInCode = 'UNAUTHENTICATED';
export type CampaignClosedCode = 'CAMPAIGN_NOT_ACTIVE';
/** Refused for good: the message says what to do. */
export type ShowCode =
  | 'BAD_RESPONSE'
  | 'CLIENT'
  | 'VALIDATION_FAILED'
  | 'IMPORT_INVALID'
  | 'IMPORT_EMPTY'
  | 'UNKNOWN_FORMAT'
  | 'ENDPOINT_ADDRESS_BLOCKED'
  | 'INVALID_CREDENTIALS'
  | 'SSO_FAILED'
  | 'SSO_REFUSED'
  | 'PASSWORD_LOGIN_OFF'
  | 'FORBIDDEN'
  | 'CROSS_ORIGIN'
  | 'NOT_A_MEMBER'
  | 'INSUFFICIENT_SCOPE'
  | 'NOT_FOUND'
  | 'ACCOUNT_EXISTS'
  | 'CANNOT_DEACTIVATE_SELF'
  | 'CANNOT_CHANGE_OWN_ROLE'
  | 'LAST_ADMIN'
  | 'RATER_REVIEWER_CONFLICT'
  | 'ALREADY_ADMIN'
  | 'USER_INACTIVE'
  | 'NAME_TAKEN'
  | 'IDEMPOTENCY_CONFLICT'
  | 'LEASE_LOST'
  | 'ASSIGNMENT_RELEASED'
  | 'ALREADY_JUDGED'
  | 'UNDO_WINDOW_PASSED'
  | 'DESIGN_LOCKED'
  | 'STATUS_CHANGE_NOT_ALLOWED'
  | 'CAMPAIGN_NOT_READY'
  | 'CAMPAIGN_NOT_DELETABLE'
  | 'NOT_ADJUDICABLE'
  | 'IMPORT_ID_TAKEN'
  | 'IMPORT_RUNNING'
  | 'IMPORT_ABANDONED'
  | 'SECRET_KEY_MISSING'
  | 'GENERATION_JOB_STATE'
  | 'INVITE_USED'
  | 'INVITE_EXPIRED'
  | 'INVITE_REVOKED'
  | 'RESET_LINK_USED'
  | 'RESET_LINK_EXPIRED'
  | 'RESET_BY_EMAIL_OFF'
  | 'JOIN_LINK_USED_UP'
  | 'JOIN_LINK_EXPIRED'
  | 'JOIN_LINK_CLOSED'
  | 'JOIN_LINK_CHANGED'
  | 'PAYLOAD_TOO_LARGE'
  | 'URL_TOO_LONG'
  | 'HEADERS_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE';

/** Compiles only while every code is in one of the lists above (the error names the codes left out). */
type Placed<Unplaced extends never> = Unplaced;
export type EveryCodePlaced = Placed<Exclude<ApiErrorCode, RetryCode | LogInCode | CampaignClosedCode | ShowCode>>;
