-- The guideline version an assignment was leased under: the rater sees that version's design and the
-- judgment is validated against it, so a design change while a lease is open no longer refuses the
-- rater's answer. Existing assignments take the version of their judgment, else the campaign's current one.
ALTER TABLE "Assignment" ADD COLUMN "guidelineVersion" INTEGER;

UPDATE "Assignment" a
SET "guidelineVersion" = COALESCE((SELECT max(j."guidelineVersion") FROM "Judgment" j WHERE j."assignmentId" = a."id"), c."guidelineVersion")
FROM "Campaign" c
WHERE c."id" = a."campaignId";

ALTER TABLE "Assignment" ALTER COLUMN "guidelineVersion" SET NOT NULL;
