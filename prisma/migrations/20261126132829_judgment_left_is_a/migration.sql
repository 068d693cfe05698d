-- The screen order of each judgment, copied from its assignment, so that the stats read of a campaign's
-- judgments does not have to join Assignment (that hash join was most of the read at a million judgments).
-- Added nullable, filled from the assignments, then made NOT NULL: existing judgments keep their order.
ALTER TABLE "Judgment" ADD COLUMN "leftIsA" BOOLEAN;

UPDATE "Judgment" j SET "leftIsA" = a."leftIsA" FROM "Assignment" a WHERE a."id" = j."assignmentId";

ALTER TABLE "Judgment" ALTER COLUMN "leftIsA" SET NOT NULL;
