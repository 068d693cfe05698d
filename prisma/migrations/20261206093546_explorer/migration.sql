-- The explorer (GET /api/campaigns/:id/comparisons): a summary of each comparison's votes, flags and latest
-- activity kept on its row, so that filters and the two sorts read indexed columns instead of aggregating a
-- million judgments per page; and a trigram index for the prompt text search.
-- The summary is kept by trigger functions, so every writer of judgments and flags (the rater loop, undo,
-- imports of test data, benchmarks' seeders) keeps it right without repeating the rule.

-- AlterTable
ALTER TABLE "Comparison" ADD COLUMN     "dispute" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "flagCount" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "lastActivityAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
ADD COLUMN     "votesA" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "votesB" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "votesBothBad" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "votesTie" INTEGER NOT NULL DEFAULT 0;

-- CreateIndex
CREATE INDEX "Comparison_campaignId_lastActivityAt_id_idx" ON "Comparison"("campaignId", "lastActivityAt" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "Comparison_campaignId_dispute_id_idx" ON "Comparison"("campaignId", "dispute" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "Judgment_campaignId_raterId_comparisonId_idx" ON "Judgment"("campaignId", "raterId", "comparisonId");

-- Trigram search over a prompt's turns (pg_trgm: Postgres contrib, loaded into PGlite by server/db/pglite.ts).
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- The text of a prompt's turns, one per line: what the explorer's text search matches against.
CREATE FUNCTION juxta_prompt_text(context jsonb) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(string_agg(turn ->> 'content', E'\n' ORDER BY n), '')
  FROM jsonb_array_elements(CASE WHEN jsonb_typeof(context) = 'array' THEN context ELSE '[]'::jsonb END) WITH ORDINALITY AS t(turn, n)
$$;

CREATE INDEX "Prompt_text_trgm_idx" ON "Prompt" USING gin (juxta_prompt_text(context) gin_trgm_ops);

-- Recounts the votes of the given comparisons from their judgments (standing, rater not excluded) and
-- moves their latest activity to `activity` when that is later (NULL: leaves it).
CREATE FUNCTION juxta_refresh_comparisons(ids int[], activity timestamptz) RETURNS void
LANGUAGE sql AS $$
  UPDATE "Comparison" c SET
    "votesA" = v.a, "votesB" = v.b, "votesTie" = v.t, "votesBothBad" = v.bb,
    "dispute" = CASE WHEN v.n = 0 THEN 0 ELSE 1000 * (v.n - GREATEST(v.a, v.b, v.t, v.bb)) / v.n END,
    "lastActivityAt" = GREATEST(c."lastActivityAt", coalesce(activity, c."lastActivityAt"))
  FROM (
    SELECT x.id,
      count(*) FILTER (WHERE j.choice = 'A')::int AS a,
      count(*) FILTER (WHERE j.choice = 'B')::int AS b,
      count(*) FILTER (WHERE j.choice = 'TIE')::int AS t,
      count(*) FILTER (WHERE j.choice = 'BOTH_BAD')::int AS bb,
      count(j.id)::int AS n
    FROM unnest(ids) AS x(id)
    LEFT JOIN "Judgment" j ON j."comparisonId" = x.id AND j."undoneAt" IS NULL
      AND NOT EXISTS (SELECT 1 FROM "CampaignMember" m WHERE m."campaignId" = j."campaignId" AND m."userId" = j."raterId" AND m.excluded)
    GROUP BY x.id
  ) v
  WHERE c.id = v.id
$$;

CREATE FUNCTION juxta_judgment_summary() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM juxta_refresh_comparisons(ARRAY[NEW."comparisonId"], NEW."createdAt");
  ELSIF NEW."undoneAt" IS DISTINCT FROM OLD."undoneAt" THEN
    PERFORM juxta_refresh_comparisons(ARRAY[NEW."comparisonId"], coalesce(NEW."undoneAt", NEW."createdAt"));
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER juxta_judgment_summary AFTER INSERT OR UPDATE OF "undoneAt" ON "Judgment"
FOR EACH ROW EXECUTE FUNCTION juxta_judgment_summary();

CREATE FUNCTION juxta_flag_summary() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "Comparison" SET "flagCount" = "flagCount" + 1, "lastActivityAt" = GREATEST("lastActivityAt", NEW."createdAt")
  WHERE id = NEW."comparisonId";
  RETURN NULL;
END
$$;

CREATE TRIGGER juxta_flag_summary AFTER INSERT ON "Flag" FOR EACH ROW EXECUTE FUNCTION juxta_flag_summary();

-- Existing comparisons: their summary from the judgments and flags they already have.
UPDATE "Comparison" c SET "lastActivityAt" = GREATEST(c."createdAt",
    (SELECT max(coalesce(j."undoneAt", j."createdAt")) FROM "Judgment" j WHERE j."comparisonId" = c.id),
    (SELECT max(f."createdAt") FROM "Flag" f WHERE f."comparisonId" = c.id)),
  "flagCount" = (SELECT count(*)::int FROM "Flag" f WHERE f."comparisonId" = c.id);
SELECT juxta_refresh_comparisons(ARRAY(SELECT id FROM "Comparison"), NULL);
