// What a rater reads before the first comparison: the campaign's name, content warning and
// instructions under its current guideline. Nothing about the models or the data behind it.
import { z } from 'zod';
import { ZTaskDesignSchema } from './task-design';

export const ZCampaignBriefSchema = z.object({
  name: z.string(),
  /** Markdown. */
  instructions: z.string(),
  /** Markdown; null when the campaign has none. Shown, and accepted, before any comparison. */
  contentWarning: z.string().nullable(),
  /** Assignments carry the version they were issued under: a newer one means the brief changed. */
  guidelineVersion: z.number().int(),
  design: ZTaskDesignSchema,
  /** False until comparisons are imported: a rater then reads "nothing to rate yet", not "you judged everything". */
  hasComparisons: z.boolean(),
  /** The campaign's tasks are rankings (not pairs): the page then speaks of ranking tasks. */
  ranking: z.boolean(),
});
export type TCampaignBrief = z.infer<typeof ZCampaignBriefSchema>;
