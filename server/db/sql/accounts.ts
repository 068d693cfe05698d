// Accounts' SQL: the session lookup that authenticates every request (hot: straight to the driver), the
// login back-off counters shared by every instance, and the admins' lock.

export const ACCOUNT_SQL = {
  /** The session whose token hashes to $1, with its user as JSON; one round trip per request. */
  sessionByTokenHash: `
    SELECT s.id, s."expiresAt", s."lastSeenAt", s."revokedAt",
       json_build_object('id', u.id, 'email', u.email, 'name', u.name, 'role', u.role, 'active', u.active) AS "user"
     FROM "Session" s JOIN "User" u ON u.id = s."userId" WHERE s."tokenHash" = $1`,

  /**
   * The login back-off state of email $1 from address $2, counting failures whose window started after $3
   * (now minus the window): `mine` and `lastAt` for this address, `total` across every address (the
   * account's cap), `mineWindowStart` to say when this address's window ends.
   */
  loginFailureState: `
    SELECT coalesce(sum(failures) FILTER (WHERE ip = $2), 0)::int AS mine,
           max("lastAt") FILTER (WHERE ip = $2) AS "lastAt",
           max("windowStart") FILTER (WHERE ip = $2) AS "mineWindowStart",
           coalesce(sum(failures), 0)::int AS total
      FROM "LoginFailure" WHERE email = $1 AND "windowStart" > $3`,

  /**
   * Counts one failed login of email $1 from address $2 at $4 (now) in one statement, so instances sharing
   * the database count together: a window that started at or before $3 starts over at now.
   */
  recordLoginFailure: `
    INSERT INTO "LoginFailure" (email, ip, failures, "windowStart", "lastAt") VALUES ($1, $2, 1, $4, $4)
    ON CONFLICT (email, ip) DO UPDATE SET
      failures = CASE WHEN "LoginFailure"."windowStart" <= $3 THEN 1 ELSE "LoginFailure".failures + 1 END,
      "windowStart" = CASE WHEN "LoginFailure"."windowStart" <= $3 THEN $4 ELSE "LoginFailure"."windowStart" END,
      "lastAt" = $4`,

  /**
   * Locks the active admins' rows until the transaction ends and returns their ids, so two admins
   * deactivating each other at the same moment cannot both pass the "not the last admin" check.
   */
  lockActiveAdmins: `SELECT id::text AS id FROM "User" WHERE role = 'ADMIN' AND active ORDER BY id FOR UPDATE`,
} as const;
