-- The explorer's vote summary on Comparison (votes per choice of standing judgments by raters not
-- excluded, dispute, last activity; migration `explorer`) moves by what a statement changed, instead of
-- a recount of the comparison's judgments for every judgment row. The per-row recount cost every judgment
-- of the rater loop an aggregate over the comparison's judgments joined to CampaignMember, and made bulk
-- inserts quadratic per comparison (1 M seeded judgments did not finish in 27 min).
-- Statement-level triggers with transition tables: one UPDATE of the comparisons a statement touched,
-- whatever its number of rows; comparisons are locked in id order (RATING_SQL's lock order).
-- An exclusion changes the summary without touching a judgment: it still recounts its comparisons
-- through juxta_refresh_comparisons (RATING_SQL.refreshVoteSummary), which stays.

DROP TRIGGER juxta_judgment_summary ON "Judgment";
DROP FUNCTION juxta_judgment_summary();

-- The dispute score from the four vote counts (the share of votes not on the majority choice, per mille;
-- integer division, as juxta_refresh_comparisons computes it).
CREATE FUNCTION juxta_dispute(a int, b int, t int, bb int) RETURNS int
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN a + b + t + bb = 0 THEN 0 ELSE 1000 * (a + b + t + bb - GREATEST(a, b, t, bb)) / (a + b + t + bb) END
$$;

-- Adds vote deltas per comparison to the summary: d_ids[i] gains d_a[i] votes for A (signed), and so on;
-- d_at[i], when not NULL, moves lastActivityAt forward. The triggers below aggregate their transition
-- tables per comparison first, so one statement of a million rows passes one entry per comparison.
CREATE FUNCTION juxta_apply_vote_deltas(d_ids int[], d_a int[], d_b int[], d_t int[], d_bb int[], d_at timestamptz[]) RETURNS void
LANGUAGE sql AS $$
  WITH per AS (
    SELECT * FROM unnest(d_ids, d_a, d_b, d_t, d_bb, d_at) AS u(id, a, b, t, bb, at)
  ), locked AS MATERIALIZED (
    SELECT c.id FROM "Comparison" c JOIN per ON per.id = c.id ORDER BY c.id FOR UPDATE OF c
  )
  UPDATE "Comparison" c SET
    "votesA" = c."votesA" + per.a, "votesB" = c."votesB" + per.b, "votesTie" = c."votesTie" + per.t, "votesBothBad" = c."votesBothBad" + per.bb,
    "dispute" = juxta_dispute(c."votesA" + per.a, c."votesB" + per.b, c."votesTie" + per.t, c."votesBothBad" + per.bb),
    "lastActivityAt" = GREATEST(c."lastActivityAt", coalesce(per.at, c."lastActivityAt"))
  FROM per, locked WHERE c.id = per.id AND locked.id = per.id
$$;

-- New judgments: each standing one of a rater not excluded adds a vote; every one is activity (a row
-- written already undone, by an import of test data or a restore, at its undo time).
CREATE FUNCTION juxta_judgment_summary_insert() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM juxta_apply_vote_deltas(array_agg(id), array_agg(a), array_agg(b), array_agg(t), array_agg(bb), array_agg(at))
  FROM (
    SELECT n."comparisonId" AS id,
      count(*) FILTER (WHERE n.choice = 'A' AND n."undoneAt" IS NULL AND m.excluded IS NOT TRUE)::int AS a,
      count(*) FILTER (WHERE n.choice = 'B' AND n."undoneAt" IS NULL AND m.excluded IS NOT TRUE)::int AS b,
      count(*) FILTER (WHERE n.choice = 'TIE' AND n."undoneAt" IS NULL AND m.excluded IS NOT TRUE)::int AS t,
      count(*) FILTER (WHERE n.choice = 'BOTH_BAD' AND n."undoneAt" IS NULL AND m.excluded IS NOT TRUE)::int AS bb,
      max(GREATEST(n."createdAt", n."undoneAt")) AS at
    FROM inserted n
    LEFT JOIN "CampaignMember" m ON m."campaignId" = n."campaignId" AND m."userId" = n."raterId"
    GROUP BY n."comparisonId"
  ) d;
  RETURN NULL;
END
$$;

-- Changed judgments (undo; any other change of what counts): the old row's vote goes, the new row's
-- comes; an undo (undoneAt set or cleared) is activity at that time, as before.
CREATE FUNCTION juxta_judgment_summary_update() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM juxta_apply_vote_deltas(array_agg(id), array_agg(a), array_agg(b), array_agg(t), array_agg(bb), array_agg(at))
  FROM (
    SELECT id,
      coalesce(sum(sign) FILTER (WHERE choice = 'A'), 0)::int AS a,
      coalesce(sum(sign) FILTER (WHERE choice = 'B'), 0)::int AS b,
      coalesce(sum(sign) FILTER (WHERE choice = 'TIE'), 0)::int AS t,
      coalesce(sum(sign) FILTER (WHERE choice = 'BOTH_BAD'), 0)::int AS bb,
      max(at) AS at
    FROM (
      SELECT o."comparisonId" AS id, o.choice::text AS choice,
        CASE WHEN o."undoneAt" IS NULL AND mo.excluded IS NOT TRUE THEN -1 ELSE 0 END AS sign, NULL::timestamptz AS at
      FROM old_rows o JOIN new_rows n ON n.id = o.id
      LEFT JOIN "CampaignMember" mo ON mo."campaignId" = o."campaignId" AND mo."userId" = o."raterId"
      WHERE (o."undoneAt", o.choice, o."comparisonId", o."campaignId", o."raterId") IS DISTINCT FROM (n."undoneAt", n.choice, n."comparisonId", n."campaignId", n."raterId")
      UNION ALL
      SELECT n."comparisonId", n.choice::text,
        CASE WHEN n."undoneAt" IS NULL AND mn.excluded IS NOT TRUE THEN 1 ELSE 0 END,
        CASE WHEN o."undoneAt" IS DISTINCT FROM n."undoneAt" THEN coalesce(n."undoneAt", n."createdAt") END
      FROM old_rows o JOIN new_rows n ON n.id = o.id
      LEFT JOIN "CampaignMember" mn ON mn."campaignId" = n."campaignId" AND mn."userId" = n."raterId"
      WHERE (o."undoneAt", o.choice, o."comparisonId", o."campaignId", o."raterId") IS DISTINCT FROM (n."undoneAt", n.choice, n."comparisonId", n."campaignId", n."raterId")
    ) x
    GROUP BY id
  ) d;
  RETURN NULL;
END
$$;

-- Postgres allows transition tables only on single-event triggers without a column list: two triggers,
-- the update one firing for every UPDATE statement on Judgment (those are undo only today).
CREATE TRIGGER juxta_judgment_summary_insert AFTER INSERT ON "Judgment"
REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION juxta_judgment_summary_insert();

CREATE TRIGGER juxta_judgment_summary_update AFTER UPDATE ON "Judgment"
REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION juxta_judgment_summary_update();

-- Existing comparisons: recounted once, so that any drift from before this migration is gone.
SELECT juxta_refresh_comparisons(ARRAY(SELECT id FROM "Comparison"), NULL);
