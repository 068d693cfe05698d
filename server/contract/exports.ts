// Export endpoints' shared shapes: path params, the row count reply, and the header that echoes asOf.
// The query string itself (format and filters) is parsed by ZExportQuery in server/domain/export/options.ts.
import { z } from 'zod';

export const ZExportParamsSchema = z.object({ id: z.uuid('campaign id must be a UUID') });

export const ZExportCountResponseSchema = z.object({
  rows: z.number().int().nonnegative(),
  /** The effective asOf (the request's, or now): pass it back to download exactly these rows. */
  asOf: z.iso.datetime(),
});
export type TExportCountResponse = z.infer<typeof ZExportCountResponseSchema>;

/** Response header carrying the effective asOf of an export, its count and its card. */
export const EXPORT_AS_OF_HEADER = 'x-juxta-as-of';
