-- Each app instance caches session lookups for a few seconds; these triggers tell every instance, through
-- NOTIFY on channel juxta_auth (payload: the user id), that a user's sessions changed. pg_notify is
-- transactional: the notice goes out when (and only if) the change commits. Fired by what must take effect
-- at once: a session revoked or deleted (logout, revocation, user deleted), a user deactivated or reactivated,
-- a role or identity change. Touching lastSeenAt fires nothing (it happens once a minute per session).
CREATE FUNCTION juxta_notify_session_change() RETURNS trigger AS $$
BEGIN
  PERFORM pg_notify('juxta_auth', OLD."userId"::text);
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE FUNCTION juxta_notify_user_change() RETURNS trigger AS $$
BEGIN
  PERFORM pg_notify('juxta_auth', OLD.id::text);
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "Session_notify_revoke" AFTER UPDATE OF "revokedAt", "expiresAt", "userId" ON "Session"
  FOR EACH ROW WHEN (OLD."revokedAt" IS DISTINCT FROM NEW."revokedAt" OR OLD."expiresAt" IS DISTINCT FROM NEW."expiresAt" OR OLD."userId" IS DISTINCT FROM NEW."userId")
  EXECUTE FUNCTION juxta_notify_session_change();

CREATE TRIGGER "Session_notify_delete" AFTER DELETE ON "Session"
  FOR EACH ROW EXECUTE FUNCTION juxta_notify_session_change();

CREATE TRIGGER "User_notify_change" AFTER UPDATE OF active, role, email, name ON "User"
  FOR EACH ROW WHEN (OLD.active IS DISTINCT FROM NEW.active OR OLD.role IS DISTINCT FROM NEW.role OR OLD.email IS DISTINCT FROM NEW.email OR OLD.name IS DISTINCT FROM NEW.name)
  EXECUTE FUNCTION juxta_notify_user_change();

CREATE TRIGGER "User_notify_delete" AFTER DELETE ON "User"
  FOR EACH ROW EXECUTE FUNCTION juxta_notify_user_change();
