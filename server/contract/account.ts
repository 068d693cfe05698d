// One's own account (password, sessions) and password resets: request and reply schemas. Its own module,
// out of the rater's first paint (zod schema builders are not tree-shaken).
import { z } from 'zod';
import { ZPasswordSchema } from './auth';

export const ZChangePasswordRequestSchema = z.object({
  currentPassword: z.string().min(1, 'enter your current password').max(1024),
  newPassword: ZPasswordSchema,
});
export type TChangePasswordRequest = z.infer<typeof ZChangePasswordRequestSchema>;

export const ZChangePasswordResponseSchema = z.object({
  /** Your other sessions, ended by the change (this one stays). */
  sessionsEnded: z.number().int(),
});

/** A one-time reset link an admin made: shown once (only its hash is stored). */
export const ZCreatePasswordResetResponseSchema = z.object({
  url: z.string(),
  token: z.string(),
  expiresAt: z.iso.datetime(),
});
export type TCreatePasswordResetResponse = z.infer<typeof ZCreatePasswordResetResponseSchema>;

export const ZRequestPasswordResetSchema = z.object({ email: z.string().trim().min(1, 'enter your email').max(320) });

/** The same reply whether or not an account has the email. */
export const ZRequestPasswordResetResponseSchema = z.object({ message: z.string() });

export const ZPasswordResetTokenParamsSchema = z.object({ token: z.string().min(1).max(200) });

export const ZPasswordResetInfoSchema = z.object({ email: z.string(), expiresAt: z.iso.datetime() });
export type TPasswordResetInfo = z.infer<typeof ZPasswordResetInfoSchema>;

export const ZCompletePasswordResetRequestSchema = z.object({ newPassword: ZPasswordSchema });

export const ZSessionSchema = z.object({
  id: z.uuid(),
  /** Browser and system read from the User-Agent ("Firefox 133 on Linux"); "Unknown device" without one. */
  device: z.string(),
  ip: z.string().nullable(),
  createdAt: z.iso.datetime(),
  lastSeenAt: z.iso.datetime(),
  /** The session this request came with. */
  current: z.boolean(),
});
export type TSession = z.infer<typeof ZSessionSchema>;

export const ZSessionListSchema = z.object({ sessions: z.array(ZSessionSchema) });
