-- Bounds for the rater claim (README "Claiming"; RATING_SQL.claim), so that its cost does not grow with the
-- install's history. Without them the planner walked Comparison_pkey from the start and filtered by campaign: a
-- campaign created after one of 18,000 comparisons removed 18,000 rows per claim, and a claim walked every full
-- comparison of its own campaign below the first with room.
-- ClaimFloor: every comparison of the campaign has an id in firstId..lastId; every comparison that could take a
-- regular lease ("open": not gold, not removed, not adjudicated, submitted + leased < target) has an id at or above
-- least(floorId, min ClaimReopen.comparisonId of the campaign). The triggers below keep that true whatever the
-- writer (lease expiry, release, exclusion, a raised target, a restored or un-adjudicated comparison, an import);
-- the claim statement raises floorId.

-- CreateTable
CREATE TABLE "ClaimFloor" (
    "campaignId" UUID NOT NULL,
    "firstId" INTEGER NOT NULL,
    "lastId" INTEGER NOT NULL,
    "floorId" INTEGER NOT NULL,
    "gen" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "ClaimFloor_pkey" PRIMARY KEY ("campaignId")
);

-- CreateTable
CREATE TABLE "ClaimReopen" (
    "campaignId" UUID NOT NULL,
    "xact" BIGINT NOT NULL,
    "comparisonId" INTEGER NOT NULL,

    CONSTRAINT "ClaimReopen_pkey" PRIMARY KEY ("campaignId","xact")
);

-- CreateIndex
CREATE INDEX "ClaimReopen_campaignId_comparisonId_idx" ON "ClaimReopen"("campaignId", "comparisonId");

-- AddForeignKey
ALTER TABLE "ClaimFloor" ADD CONSTRAINT "ClaimFloor_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "Campaign"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Records that comparisons of a campaign got room (or were created) in this transaction: one ClaimReopen row per
-- campaign and transaction holding the least id, so a bulk change (a raised target, a restored response) adds one
-- row, not one per comparison. The row is this transaction's own until it commits: nobody waits on it, and it
-- locks nothing a claim holds (no foreign key), so a writer that holds comparisons cannot deadlock here.
CREATE FUNCTION juxta_claim_reopened(campaign uuid, comparison int) RETURNS void
LANGUAGE sql AS $$
  INSERT INTO "ClaimReopen" AS r ("campaignId", xact, "comparisonId") VALUES (campaign, pg_current_xact_id()::text::bigint, comparison)
  ON CONFLICT ("campaignId", xact) DO UPDATE SET "comparisonId" = EXCLUDED."comparisonId" WHERE EXCLUDED."comparisonId" < r."comparisonId"
$$;

-- A new comparison widens its campaign's range, and is recorded as reopened (ids come from one sequence, but two
-- imports into one campaign may commit out of id order). Once per statement.
CREATE FUNCTION juxta_claim_floor_insert() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "ClaimFloor" AS f ("campaignId", "firstId", "lastId", "floorId")
  SELECT n."campaignId", min(n.id), max(n.id), min(n.id) FROM inserted n GROUP BY n."campaignId" ORDER BY n."campaignId"
  ON CONFLICT ("campaignId") DO UPDATE SET "firstId" = LEAST(f."firstId", EXCLUDED."firstId"), "lastId" = GREATEST(f."lastId", EXCLUDED."lastId")
    WHERE EXCLUDED."firstId" < f."firstId" OR EXCLUDED."lastId" > f."lastId";
  PERFORM juxta_claim_reopened(n."campaignId", min(n.id)) FROM inserted n GROUP BY n."campaignId";
  RETURN NULL;
END
$$;

CREATE TRIGGER juxta_claim_floor_insert AFTER INSERT ON "Comparison"
  REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION juxta_claim_floor_insert();

-- A comparison that turns open records itself. Row level with a WHEN condition: the rater loop's updates (a claim
-- fills a place, a judgment moves one from leased to submitted, vote summaries) never call the function.
CREATE FUNCTION juxta_claim_reopen() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM juxta_claim_reopened(NEW."campaignId", NEW.id);
  RETURN NULL;
END
$$;

CREATE TRIGGER juxta_claim_reopen AFTER UPDATE ON "Comparison" FOR EACH ROW
  WHEN (NOT NEW."isGold" AND NOT NEW.removed AND NEW."adjudicatedChoice" IS NULL AND NEW.submitted + NEW.leased < NEW.target
    AND (OLD."isGold" OR OLD.removed OR OLD."adjudicatedChoice" IS NOT NULL OR OLD.submitted + OLD.leased >= OLD.target
      OR OLD."campaignId" <> NEW."campaignId" OR OLD.id <> NEW.id))
  EXECUTE FUNCTION juxta_claim_reopen();

-- The campaigns there are: their range, and the floor at their first comparison (the first claim raises it).
INSERT INTO "ClaimFloor" ("campaignId", "firstId", "lastId", "floorId")
SELECT "campaignId", min(id), max(id), min(id) FROM "Comparison" GROUP BY "campaignId";
