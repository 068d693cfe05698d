// Roles and campaign reviewers (admin-only requests and replies). Its own module so that the rater's first
// paint, which needs the session schemas of auth.ts, carries none of them (zod schema builders are not tree-shaken).
import { z } from 'zod';
import { ZRoleSchema } from './auth';

export const ZSetUserRoleRequestSchema = z.object({ role: ZRoleSchema });

/** Adding a reviewer to a campaign, or changing whether they may export (the same request again). */
export const ZSetCampaignReviewerRequestSchema = z.object({
  userId: z.uuid(),
  canExport: z.boolean().default(false),
});

export const ZCampaignReviewerSchema = z.object({
  userId: z.uuid(),
  email: z.string(),
  name: z.string(),
  active: z.boolean(),
  canExport: z.boolean(),
  addedAt: z.iso.datetime(),
});
export type TCampaignReviewer = z.infer<typeof ZCampaignReviewerSchema>;

export const ZCampaignReviewerListSchema = z.object({ reviewers: z.array(ZCampaignReviewerSchema) });

export const ZCampaignUserParamsSchema = z.object({ id: z.uuid(), userId: z.uuid() });
