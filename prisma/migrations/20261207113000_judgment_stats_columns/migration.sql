-- What the stats read of a campaign's judgments needs, stored on each ranking judgment when it is written, as leftIsA
-- is (judgment_left_is_a): the card order, copied from its assignment (joining Assignment for it was about half of
-- that read at 250,000 rankings), and the ranking as JSON text without spaces, sent as it is (casting the jsonb to
-- text was about a fifth). Empty and null for a pair's judgment. RATING_SQL.judge writes both with the judgment (the
-- text by rankingText in server/db/sql/ranking-pairs.ts, the expression below); existing ranking judgments get them
-- here from their assignment and their ranking.
ALTER TABLE "Judgment" ADD COLUMN "rankingText" TEXT,
ADD COLUMN "shownOrder" INTEGER[] NOT NULL DEFAULT ARRAY[]::INTEGER[];

UPDATE "Judgment" j SET "shownOrder" = a."shownOrder", "rankingText" = replace(j.ranking::text, ' ', '')
FROM "Assignment" a WHERE a."id" = j."assignmentId" AND (j.ranking IS NOT NULL OR cardinality(a."shownOrder") > 0);
