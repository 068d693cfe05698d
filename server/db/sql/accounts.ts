// Accounts' SQL: the session lookup that authenticates every request (hot: straight to the driver), the
// failed-login counter shared by every instance, and the admins' lock.

export const ACCOUNT_SQL = {
  /** The session whose token hashes to $1, with its user as JSON; one round trip per request. */
  sessionByTokenHash: `
    SELECT s.id, s."expiresAt", s."lastSeenAt", s."revokedAt",
       json_build_object('id', u.id, 'email', u.email, 'name', u.name, 'role', u.role, 'active', u.active) AS "user"
     FROM "Session" s JOIN "User" u ON u.id = s."userId" WHERE s."tokenHash" = $1`,

  /**
   * Counts one failed login for email $1 in one statement, so instances sharing the database count
   * together: a window that started at or before $3 starts over at $2 (now). For an unknown email it
   * matches no row but costs the same round trip, so the reply's timing does not tell which emails have accounts.
   */
  recordFailedLogin: `
    UPDATE "User" SET
      "failedLoginCount" = CASE WHEN "failedLoginWindowStart" IS NULL OR "failedLoginWindowStart" <= $3::timestamptz
        THEN 1 ELSE "failedLoginCount" + 1 END,
      "failedLoginWindowStart" = CASE WHEN "failedLoginWindowStart" IS NULL OR "failedLoginWindowStart" <= $3::timestamptz
        THEN $2::timestamptz ELSE "failedLoginWindowStart" END
    WHERE email = $1`,

  /**
   * Locks the active admins' rows until the transaction ends and returns their ids, so two admins
   * deactivating each other at the same moment cannot both pass the "not the last admin" check.
   */
  lockActiveAdmins: `SELECT id::text AS id FROM "User" WHERE role = 'ADMIN' AND active ORDER BY id FOR UPDATE`,
} as const;
