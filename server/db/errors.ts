// What the database's errors mean to a service, whichever runner (Prisma or the driver) raised them.

/**
 * True for a unique-constraint violation: Prisma's P2002, or Postgres' 23505 as the pg driver, PGlite or
 * Prisma's driver adapter report it (e.g. two requests creating the same email, or storing the same
 * idempotency key, at once).
 */
export function isUniqueViolation(err: unknown): boolean {
  return hasSqlState(err, 'P2002') || hasSqlState(err, '23505');
}

/** True when the database refused to make one person both a rater and a reviewer of a campaign (trigger, SQLSTATE JXR01). */
export function isReviewerRaterConflict(err: unknown): boolean {
  return hasSqlState(err, 'JXR01') || /JXR01|cannot (review|rate) it/.test(String((err as { message?: string } | null)?.message ?? ''));
}

function hasSqlState(err: unknown, code: string): boolean {
  const e = err as { code?: string; cause?: { code?: string; originalCode?: string }; meta?: { code?: string } } | null;
  return e?.code === code || e?.meta?.code === code || e?.cause?.originalCode === code || e?.cause?.code === code;
}
