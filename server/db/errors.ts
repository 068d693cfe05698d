// What the database's errors mean to a service, whichever runner (Prisma or the driver) raised them.

/**
 * True for a unique-constraint violation: Prisma's P2002, or Postgres' 23505 as the pg driver, PGlite or
 * Prisma's driver adapter report it (e.g. two requests creating the same email, or storing the same
 * idempotency key, at once).
 */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; cause?: { code?: string; originalCode?: string }; meta?: { code?: string } } | null;
  return e?.code === 'P2002' || e?.code === '23505' || e?.meta?.code === '23505' || e?.cause?.originalCode === '23505' || e?.cause?.code === '23505';
}
