// Every embedded PGlite instance of the project opens through here, so each one has the extensions the
// migrations rely on (pg_trgm: the trigram index behind the explorer's prompt text search).
// The engine loads on first use: a server on Postgres never pays for it (bench:startup, RSS at ready).
import type { PGlite } from '@electric-sql/pglite';

/**
 * Postgres's memory settings inside PGlite's WebAssembly memory, which never gives pages back: the defaults
 * (shared_buffers 128MB, maintenance_work_mem 64MB) made the embedded server hold ~120 MB more at ready
 * (bench:startup; measured: a warm open plus an index build, 402 MB RSS with the defaults, 295 MB with these).
 * Pages beyond the buffers are read through the operating system's file cache, which keeps them warm.
 */
const POSTGRESQL_CONF = ['shared_buffers=32MB', 'maintenance_work_mem=32MB'];

/** Opens PGlite in `dataDir` (in memory when omitted) with the project's extensions loaded. */
export async function createPglite(dataDir?: string): Promise<PGlite> {
  const [{ PGlite }, { pg_trgm }] = await Promise.all([import('@electric-sql/pglite'), import('@electric-sql/pglite/contrib/pg_trgm')]);
  return PGlite.create(dataDir, { extensions: { pg_trgm }, postgresqlconf: POSTGRESQL_CONF });
}
