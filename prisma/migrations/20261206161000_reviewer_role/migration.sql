-- CreateTable
CREATE TABLE "CampaignReviewer" (
    "campaignId" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "canExport" BOOLEAN NOT NULL DEFAULT false,
    "addedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CampaignReviewer_pkey" PRIMARY KEY ("campaignId","userId")
);

-- CreateIndex
CREATE INDEX "CampaignReviewer_userId_idx" ON "CampaignReviewer"("userId");

-- AddForeignKey
ALTER TABLE "CampaignReviewer" ADD CONSTRAINT "CampaignReviewer_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "Campaign"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CampaignReviewer" ADD CONSTRAINT "CampaignReviewer_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- One person is never both a rater (CampaignMember) and a reviewer (CampaignReviewer) of a campaign: a
-- reviewer sees the other raters' answers. The services check first and answer 409; this guard catches the
-- race their checks cannot see (two requests adding the same person both ways at once). Both tables'
-- triggers take the same transaction-scoped advisory lock for (campaign, user) before looking at the other
-- table, so the second request waits for the first to commit and then sees its row. SQLSTATE JXR01
-- (server/db/errors.ts isReviewerRaterConflict).
CREATE FUNCTION juxta_reviewer_is_not_rater() RETURNS trigger AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtextextended('juxta-campaign-role:' || NEW."campaignId"::text || ':' || NEW."userId"::text, 0));
  IF TG_TABLE_NAME = 'CampaignReviewer' THEN
    IF EXISTS (SELECT 1 FROM "CampaignMember" WHERE "campaignId" = NEW."campaignId" AND "userId" = NEW."userId") THEN
      RAISE EXCEPTION 'user % rates campaign % and cannot review it', NEW."userId", NEW."campaignId" USING ERRCODE = 'JXR01';
    END IF;
  ELSIF EXISTS (SELECT 1 FROM "CampaignReviewer" WHERE "campaignId" = NEW."campaignId" AND "userId" = NEW."userId") THEN
    RAISE EXCEPTION 'user % reviews campaign % and cannot rate it', NEW."userId", NEW."campaignId" USING ERRCODE = 'JXR01';
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "CampaignReviewer_not_rater" BEFORE INSERT ON "CampaignReviewer"
  FOR EACH ROW EXECUTE FUNCTION juxta_reviewer_is_not_rater();
CREATE TRIGGER "CampaignMember_not_reviewer" BEFORE INSERT ON "CampaignMember"
  FOR EACH ROW EXECUTE FUNCTION juxta_reviewer_is_not_rater();
