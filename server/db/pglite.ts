// Every embedded PGlite instance of the project opens through here, so each one has the extensions the
// migrations rely on (pg_trgm: the trigram index behind the explorer's prompt text search).
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';

/** Opens PGlite in `dataDir` (in memory when omitted) with the project's extensions loaded. */
export function createPglite(dataDir?: string): Promise<PGlite> {
  return PGlite.create(dataDir, { extensions: { pg_trgm } });
}
