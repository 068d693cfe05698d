// Single sign-on (OpenID Connect): what the login page asks and sends. Its own module, so only the login
// page's chunk carries it (the rater's first paint has no bytes to spare).
import { z } from 'zod';
import { ZMeResponseSchema } from './auth';

/** GET /api/auth/sso: how the login page offers single sign-on (404 when it is off). */
export const ZSsoInfoSchema = z.object({
  /** "Sign in with <displayName>". */
  displayName: z.string(),
  /** Password login is for admins only: raters use the provider. */
  passwordLoginAdminsOnly: z.boolean(),
});
export type TSsoInfo = z.infer<typeof ZSsoInfoSchema>;

/** GET /api/auth/sso/start?next=&join=: where to return after signing in (a path on this site); a campaign join link's token to join through. */
export const ZSsoStartQuerySchema = z.object({ next: z.string().max(2000).optional(), join: z.string().min(1).max(200).optional() });

/** POST /api/me/sso/link: the provider's sign-in page to send the browser to (the flow cookie is set with this reply). */
export const ZSsoLinkStartResponseSchema = z.object({ url: z.string() });
export type TSsoLinkStartResponse = z.infer<typeof ZSsoLinkStartResponseSchema>;

/** POST /api/auth/sso/callback: the query string the provider sent the browser back with (`?code=...&state=...&iss=...`). */
export const ZSsoCallbackRequestSchema = z.object({ search: z.string().min(1).max(8192) });
export type TSsoCallbackRequest = z.infer<typeof ZSsoCallbackRequestSchema>;

/** The signed-in user, and the path the sign-in was started from. */
export const ZSsoCallbackResponseSchema = ZMeResponseSchema.extend({ next: z.string() });
export type TSsoCallbackResponse = z.infer<typeof ZSsoCallbackResponseSchema>;
