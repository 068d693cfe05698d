// The task design: what raters are asked. Its own module so the rater's first paint carries none of
// the admin-only campaign schemas (zod schema builders are not tree-shaken).
import { z } from 'zod';

export const ZTurnSchema = z.object({
  role: z.enum(['system', 'user', 'assistant']),
  content: z.string(),
});
export type TTurn = z.infer<typeof ZTurnSchema>;

/**
 * The answer scale. Left/right always; a tie and "both bad" when allowed; and optionally a strength:
 * `strengthLevels` lists the labels of magnitudes 1..n, weakest first (Llama 2: negligibly better or
 * unsure, slightly better, better, significantly better). A 7-point scale from -3 to 3 is three levels
 * with a tie as 0.
 */
export const ZScaleSchema = z.object({
  allowTie: z.boolean().default(true),
  allowBothBad: z.boolean().default(false),
  strengthLevels: z.array(z.string().trim().min(1).max(80)).max(7).default([]),
});
export type TScale = z.infer<typeof ZScaleSchema>;

/** Common scales, for the admin form's presets. */
export const SCALE_PRESETS = {
  binary: { allowTie: false, allowBothBad: false, strengthLevels: [] },
  binaryTie: { allowTie: true, allowBothBad: false, strengthLevels: [] },
  binaryTieBothBad: { allowTie: true, allowBothBad: true, strengthLevels: [] },
  llama2: {
    allowTie: false,
    allowBothBad: false,
    strengthLevels: ['Negligibly better or unsure', 'Slightly better', 'Better', 'Significantly better'],
  },
  sevenPoint: { allowTie: true, allowBothBad: false, strengthLevels: ['Slightly better', 'Better', 'Much better'] },
} as const satisfies Record<string, TScale>;

/** A criterion judged on its own besides the overall preference (e.g. helpfulness, harmlessness). */
export const ZCriterionSchema = z.object({
  name: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, 'use lower case letters, digits and _ (e.g. helpfulness)'),
  label: z.string().trim().min(1).max(80),
  description: z.string().max(2000).optional(),
});
export type TCriterion = z.infer<typeof ZCriterionSchema>;

export const ZRationaleSchema = z.object({
  mode: z.enum(['off', 'optional', 'required']).default('off'),
  minLength: z.number().int().min(0).max(5000).default(0),
});

export const ZTaskDesignSchema = z
  .object({
    scale: ZScaleSchema.default({ allowTie: true, allowBothBad: false, strengthLevels: [] }),
    /** Empty: one overall preference. Otherwise each criterion gets its own answer next to the overall one. */
    criteria: z.array(ZCriterionSchema).max(8).default([]),
    rationale: ZRationaleSchema.default({ mode: 'off', minLength: 0 }),
  })
  .refine((d) => new Set(d.criteria.map((c) => c.name)).size === d.criteria.length, { message: 'criterion names must be unique', path: ['criteria'] });
export type TTaskDesign = z.infer<typeof ZTaskDesignSchema>;
