import { z } from 'zod';

export const ZHealthResponseSchema = z.object({
  status: z.enum(['ok', 'degraded']),
  database: z.enum(['up', 'down']),
  kind: z.enum(['pglite', 'postgres']),
});

/** GET /api/health/live: the process answers (it checks nothing else, so a busy database never restarts it). */
export const ZLiveResponseSchema = z.object({ status: z.literal('ok') });

/** GET /api/health/ready: 200 when the database answers and every migration this build carries is applied; 503 otherwise. */
export const ZReadyResponseSchema = z.object({
  status: z.enum(['ready', 'not_ready']),
  database: z.enum(['up', 'down']),
  /** Migrations this build carries that the database has not applied (empty when ready; null when the database is down). */
  pendingMigrations: z.array(z.string()).nullable(),
});
export type TReadyResponse = z.infer<typeof ZReadyResponseSchema>;
