// The rater loop's SQL: leases (claim, reclaim, release), judgments and undo, and the one place where
// the counters on the comparison row move (`leased`: open leases; `submitted`: judgments that count),
// rater exclusion included. Each write is one statement (data-modifying CTEs), so a lock is held for one
// round trip. Lock order everywhere: CampaignMember, then Assignment, then Comparison (several comparisons
// in id order), so concurrent writers cannot deadlock. A judgment locks no membership row (it reads it).
// Rows of an import that is not PUBLISHED are never picked.
// The SQL text is exported so bench/judge.ts can run the very same statements straight through `pg`.
import { publishedImport } from './published-import';
import { rankingText } from './ranking-pairs';

const PUBLISHED = publishedImport('c');

/**
 * One assignment as JSON, as the rater will see it once sides are mapped; `source` is "Assignment" or a CTE of new rows.
 * A ranking task adds its cards' order (`shownOrder`, slots) and its slots' contents (`slotContents`; null for a pair).
 */
const viewSql = (source: string) => `SELECT json_build_object('id', va.id, 'campaignId', va."campaignId", 'leftIsA', va."leftIsA",
    'expiresAt', va."expiresAt", 'guidelineVersion', va."guidelineVersion", 'design', vg.design, 'context', vp.context,
    'aContent', vra.content, 'bContent', vrb.content, 'shownOrder', va."shownOrder",
    'slotContents', (SELECT json_agg(vs.content ORDER BY s.n) FROM unnest(vx.slots) WITH ORDINALITY s(id, n) JOIN "Response" vs ON vs.id = s.id)
  ) AS view, va."issuedAt", va.id
  FROM ${source} va
  JOIN "CampaignGuideline" vg ON vg."campaignId" = va."campaignId" AND vg.version = va."guidelineVersion"
  JOIN "Comparison" vx ON vx.id = va."comparisonId"
  JOIN "Prompt" vp ON vp.id = vx."promptId"
  JOIN "Response" vra ON vra.id = vx."responseAId"
  JOIN "Response" vrb ON vrb.id = vx."responseBId"`;

/**
 * CTEs that close the leases `pick` selects (their ids, locked) as EXPIRED at `now`, and give their places
 * back: the comparisons are locked in id order and `leased` drops by the leases each lost. Ends with
 * `released`, the comparisons changed.
 */
const expireLeases = (pick: string, now: string) => `expired AS (${pick}
    ), closed AS (
      UPDATE "Assignment" a SET status = 'EXPIRED', "closedAt" = ${now}::timestamptz
      FROM expired e WHERE a.id = e.id RETURNING a."comparisonId"
    ), freed AS (
      SELECT "comparisonId" AS id, count(*)::int AS n FROM closed GROUP BY 1
    ), locked AS MATERIALIZED (
      SELECT c.id, f.n FROM "Comparison" c JOIN freed f ON f.id = c.id ORDER BY c.id FOR UPDATE OF c
    ), released AS (
      UPDATE "Comparison" c SET leased = c.leased - l.n FROM locked l WHERE c.id = l.id RETURNING c.id
    )`;

const JUDGMENT_FIELDS = `j."assignmentId", j.choice::text AS choice, j.strength, j.criteria, j.rationale, j."timeMs", j."createdAt", j."leftIsA",
  j.ranking, j."allBad", j."shownOrder"`;

/** Bounded: one claim never spends long reclaiming; the next claim takes the rest. */
export const RECLAIM_BATCH = 100;

/** Model pairs (8, each stored in both orders) a claim by priority looks at; past them it falls back to id order. */
export const TOP_PAIR_ROWS = 16;

/**
 * Active selection (README "Active pair selection"): a weighted random draw of model pairs (Efraimidis and Spirakis
 * 2006: the largest u^(1/w), here ln(u)/w, is a draw in proportion to w), so concurrent claims spread over the
 * pairs rather than all taking the single top one until the next refresh. u comes from a hash of the pair seeded by
 * the new assignment id (the service's random draw, as for a ranking task's card order). The table holds each pair
 * in both orders (a comparison is of one); the draw ranks each pair once (its row with modelA < modelB) and then
 * lists both orders, so the first TOP_PAIR_ROWS rows are read in that order, and the claim reads a few pairs'
 * comparisons through the pair index (Comparison_campaignId_modelA_modelB_id_idx), not the whole campaign, and stops
 * at the first pair with a comparison for this rater. The key is float8 arithmetic on hashtextextended, once per
 * pair: with md5, numeric ln and both orders ranked, the ranking of bench:select's 380 rows took 1.7 ms in EXPLAIN
 * ANALYZE (load ~20), most of the active claim's extra cost over uniform's; this way 0.07 ms.
 */
const TOP_PAIRS = `top_pairs AS MATERIALIZED (
      SELECT o."modelA", o."modelB" FROM (
        SELECT pp."modelA", pp."modelB",
          ln(((hashtextextended(pp."modelA" || ':' || pp."modelB", (SELECT hashtextextended($4::text, 0))) & 4294967295) + 1)::float8
            / 4294967297.0::float8) / pp.priority AS key
        FROM "ModelPairPriority" pp WHERE pp."campaignId" = $1::uuid AND pp."modelA" < pp."modelB"
        ORDER BY key DESC LIMIT ${TOP_PAIR_ROWS / 2}
      ) drawn CROSS JOIN LATERAL (VALUES (drawn."modelA", drawn."modelB", 1), (drawn."modelB", drawn."modelA", 2)) o("modelA", "modelB", side)
      ORDER BY drawn.key DESC, o.side
    ), `;

/**
 * Where the claim looks (README "Claiming"): an id range that holds every comparison it may take, read from
 * ClaimFloor (migration `claim_floor`). Ids are assigned at import, so a campaign's comparisons lie in its
 * firstId..lastId; a regular claim ($6 false) starts at `openFrom`, the least of floorId and the campaign's
 * ClaimReopen rows, below which no comparison has room. With the range as index conditions the walk is bounded
 * whatever plan the planner takes: on the primary key (which it prefers for `ORDER BY id LIMIT 1`, filtering by
 * campaign) it no longer crosses other campaigns' comparisons nor its own full ones. No ClaimFloor row (none is
 * missing while the triggers run): no bound.
 */
const BOUNDS = `bounds AS MATERIALIZED (
      SELECT f."firstId", f."lastId", f."floorId", f.gen,
        LEAST(f."floorId", (SELECT min(r."comparisonId") FROM "ClaimReopen" r WHERE r."campaignId" = $1::uuid)) AS "openFrom"
      FROM "ClaimFloor" f WHERE f."campaignId" = $1::uuid
    ), `;

/** A comparison a regular lease could take, whoever claims (ClaimFloor's "open"; the trigger `juxta_claim_reopen` tests the same). */
const OPEN = `NOT c."isGold" AND NOT c.removed AND c."adjudicatedChoice" IS NULL AND c.submitted + c.leased < c.target`;

/**
 * Raises the floor of a regular claim ($6 false) to the first open comparison at or above `openFrom` as this
 * statement's snapshot shows them (lastId + 1 when none), and deletes the ClaimReopen rows it saw. Safe without
 * making anyone wait: a comparison that gets room after this snapshot was taken writes a ClaimReopen row in the same
 * transaction (trigger), which this statement neither sees nor deletes, so claims still start at or below it. Two
 * claims raising at once: the row lock (SKIP LOCKED: a claim never waits to raise) and the compare-and-set on `gen`
 * (re-checked on the newest row version) let only one through per version read. The row is locked only when the
 * floor moves or reopened rows are to go (about once per comparison filled). The claim's own new lease is not in
 * the snapshot, so the floor stays at or below the comparison it leases.
 */
const RAISE_FLOOR = `, raise_to AS (
      SELECT coalesce((SELECT c.id FROM "Comparison" c
        WHERE c."campaignId" = $1::uuid AND c.id >= b."openFrom" AND c.id <= b."lastId" AND ${OPEN}
        ORDER BY c.id LIMIT 1), b."lastId" + 1) AS id
      FROM bounds b WHERE NOT $6::boolean
    ), raise AS (
      SELECT f."campaignId" FROM "ClaimFloor" f JOIN bounds b ON f.gen = b.gen JOIN raise_to t ON t.id <> b."floorId" OR b."openFrom" < b."floorId"
      WHERE f."campaignId" = $1::uuid FOR UPDATE OF f SKIP LOCKED
    ), raised AS (
      UPDATE "ClaimFloor" f SET "floorId" = t.id, gen = f.gen + 1
      FROM raise_to t WHERE f."campaignId" = $1::uuid AND EXISTS (SELECT 1 FROM raise) RETURNING f."campaignId"
    ), seen AS (
      DELETE FROM "ClaimReopen" r WHERE r."campaignId" = $1::uuid AND EXISTS (SELECT 1 FROM raised)
    )`;

/**
 * The claim statement for comparisons of one kind (a condition on `c`): the first by id, or with `byPriority` the
 * first by id of the drawn pairs, the pair drawn first going first: per drawn row (a pair in one A/B order; the
 * table holds both, and a comparison is of one), its first comparison with room, locked, until one is found. A pair's
 * comparisons are read from the pair index: the claim joins no response. Everything else (room, no repeat, locks) is
 * the same. Both look only within BOUNDS, and a regular claim raises the floor (RAISE_FLOOR).
 */
const claimStatement = (kind: string, byPriority = false) => {
  const first = (ofPair: string) => `SELECT c.id FROM "Comparison" c
      WHERE c."campaignId" = $1::uuid AND ${ofPair}${kind}
        AND c.id >= coalesce((SELECT CASE WHEN $6::boolean THEN b."firstId" ELSE b."openFrom" END FROM bounds b), 0)
        AND c.id <= coalesce((SELECT b."lastId" FROM bounds b), 2147483647)
        AND (c."isGold" OR $6::boolean OR c.submitted + c.leased < c.target) AND NOT c.removed
        AND ($6::boolean OR c."adjudicatedChoice" IS NULL)
        AND (SELECT open < 2 AND ($7::int IS NULL OR used < $7::int) FROM own)
        AND ${PUBLISHED}
        AND NOT EXISTS (SELECT 1 FROM "Assignment" x WHERE x."comparisonId" = c.id AND x."raterId" = $2::uuid)
      ORDER BY c.id LIMIT 1 FOR UPDATE OF c SKIP LOCKED`;
  // No ORDER BY outside the lateral: top_pairs is read in its own order, and a sort here would run every lateral (locking a row each).
  const pick = byPriority
    ? `${TOP_PAIRS}pick AS (
      SELECT f.id FROM top_pairs tp CROSS JOIN LATERAL (${first(`c."modelA" = tp."modelA" AND c."modelB" = tp."modelB" AND `)}) f LIMIT 1`
    : `pick AS (${first('')}`;
  return `
    WITH own AS (
      SELECT count(*) FILTER (WHERE a.status = 'LEASED' AND a."expiresAt" > $3::timestamptz) AS open, count(*) AS used
      FROM "Assignment" a
      WHERE a."campaignId" = $1::uuid AND a."raterId" = $2::uuid AND a.status IN ('LEASED', 'SUBMITTED')
    ), ${BOUNDS}${pick}
    ), bump AS (
      UPDATE "Comparison" c SET leased = c.leased + 1 FROM pick WHERE c.id = pick.id RETURNING c.id, cardinality(c.slots) AS k
    )${RAISE_FLOOR}
    , lease AS (
      INSERT INTO "Assignment" (id, "campaignId", "comparisonId", "raterId", "leftIsA", "guidelineVersion", status, "issuedAt", "expiresAt", "shownOrder", arm)
      SELECT $4::uuid, $1::uuid, bump.id, $2::uuid, $5::boolean, cp."guidelineVersion", 'LEASED', $3::timestamptz, $3::timestamptz + make_interval(secs => $8::int),
        ARRAY(SELECT s - 1 FROM generate_series(1, bump.k) s ORDER BY md5($4::text || ':' || s)), $9::text::"SelectionArm"
      FROM bump JOIN "Campaign" cp ON cp.id = $1::uuid RETURNING *
    )
    ${viewSql('lease')}`;
};

/**
 * The judgment statement: `a` locks the rater's open (or reclaimed) assignment when `conditions` (on
 * `a`) hold, then its comparison; see RATING_SQL.judge.
 */
const judgeStatement = (conditions: string) => `
    WITH a AS (
      SELECT a.id, a."comparisonId", a.status, a."leftIsA", a."shownOrder" FROM "Assignment" a
      WHERE a.id = $1::uuid AND a."raterId" = $2::uuid AND a.status IN ('LEASED', 'EXPIRED')${conditions}
      FOR UPDATE OF a
    ), c AS (
      SELECT c.id, c."isGold" OR c."adjudicatedChoice" IS NOT NULL AS "isGold" FROM "Comparison" c JOIN a ON c.id = a."comparisonId"
      WHERE a.status = 'LEASED' OR c."isGold" OR c.submitted + c.leased < c.target
      FOR UPDATE OF c
    ), j AS (
      INSERT INTO "Judgment" ("assignmentId", "activeAssignmentId", "campaignId", "comparisonId", "raterId", choice, "leftIsA", strength,
        criteria, rationale, "timeMs", "idempotencyKey", "guidelineVersion", "isGold", "createdAt", ranking, "rankingText", "allBad", "shownOrder")
      SELECT a.id, a.id, $3::uuid, c.id, $2::uuid, $4::"Choice", a."leftIsA", $5::int, $6::jsonb, $7::text, $8::int, $9::text, $10::int, c."isGold", $11::timestamptz,
        $12::jsonb, ${rankingText('$12::jsonb')}, $13::boolean, a."shownOrder"
      FROM a JOIN c ON c.id = a."comparisonId"
      RETURNING id, "createdAt"
    ), done AS (
      UPDATE "Assignment" x SET status = 'SUBMITTED', "closedAt" = $11::timestamptz FROM j WHERE x.id = $1::uuid RETURNING x.id
    ), counted AS (
      UPDATE "Comparison" y SET submitted = y.submitted + 1, leased = y.leased - CASE WHEN a.status = 'LEASED' THEN 1 ELSE 0 END
      FROM a, j WHERE y.id = a."comparisonId" RETURNING y.id
    )
    SELECT j."createdAt" FROM j, done, counted`;

/** Why a claim found nothing (RATING_SQL.whyNothingLeft); `unless` a condition on the whole row. */
const whyNothingLeft = (unless: string) => `
    SELECT
      (SELECT count(*)::int FROM "Assignment" a
       WHERE a."campaignId" = $1::uuid AND a."raterId" = $2::uuid AND a.status IN ('LEASED', 'SUBMITTED')) AS used,
      (SELECT min(l."expiresAt") FROM "Comparison" c
       JOIN "Assignment" l ON l."comparisonId" = c.id AND l.status = 'LEASED'
       WHERE c."campaignId" = $1::uuid AND NOT c."isGold" AND c.submitted < c.target AND ${PUBLISHED}
         AND NOT EXISTS (SELECT 1 FROM "Assignment" x WHERE x."comparisonId" = c.id AND x."raterId" = $2::uuid)) AS "freeAt"${unless}`;

export const RATING_SQL = {
  /**
   * What a claim starts with (README "Claiming"), the first statement after the rater's lock (`lockMembership`, sent
   * with BEGIN in one round trip), so it sees every lease committed before that lock was granted (read in the
   * statement that waits for the lock, a claim would see the leases as they were before the claim it waited for):
   * expires the campaign's stale leases (SKIP LOCKED, id order) and gives their places back; returns the campaign's
   * settings, whether the rater is a member (null: not), the campaign's selection and when its priorities were last
   * refreshed (null: never), for the service to choose the arm; and the rater's open leases as shown, oldest first,
   * with their counts for progress. The leases it expires still read LEASED in this statement's snapshot: their
   * expiry is past, so `open` leaves them out, and `closedOpen` counts them as closed (`expired`), as a read after
   * the expiry would. No row: no such campaign. $1 campaign, $2 rater, $3 now, $4 start of today.
   */
  claimState: `
    WITH ${expireLeases(`
      SELECT a.id FROM "Assignment" a
      WHERE a."campaignId" = $1::uuid AND a.status = 'LEASED' AND a."expiresAt" <= $3::timestamptz
      ORDER BY a.id LIMIT ${RECLAIM_BATCH} FOR UPDATE SKIP LOCKED`, '$3')}
    SELECT cp.status::text AS status, cp."leaseSeconds", cp."goldRate", cp."maxJudgmentsPerRater",
      (SELECT m.excluded FROM "CampaignMember" m WHERE m."campaignId" = $1::uuid AND m."userId" = $2::uuid) AS excluded,
      (SELECT count(*)::int FROM released) AS reclaimed,
      cp.selection::text AS selection, cp."controlShare",
      (SELECT r."refreshedAt" FROM "SelectionRefresh" r WHERE r."campaignId" = $1::uuid) AS "prioritiesAt",
      (SELECT coalesce(json_agg(o.view ORDER BY o."issuedAt", o.id), '[]') FROM (
         ${viewSql('"Assignment"')}
         WHERE va."campaignId" = $1::uuid AND va."raterId" = $2::uuid AND va.status = 'LEASED' AND va."expiresAt" > $3::timestamptz
         ORDER BY va."issuedAt", va.id LIMIT 2) o) AS "open",
      (SELECT json_build_object(
         'judgedToday', count(*) FILTER (WHERE a.status = 'SUBMITTED' AND a."closedAt" >= $4::timestamptz),
         'judgedTotal', count(*) FILTER (WHERE a.status = 'SUBMITTED'),
         'closedOpen', count(*) FILTER (WHERE (a.status <> 'LEASED' OR a.id IN (SELECT e.id FROM expired e)) AND (c."isGold" OR c.submitted < c.target)))
       FROM "Assignment" a JOIN "Comparison" c ON c.id = a."comparisonId"
       WHERE a."campaignId" = $1::uuid AND a."raterId" = $2::uuid) AS counts
    FROM "Campaign" cp WHERE cp.id = $1::uuid`,

  /**
   * Why a claim found nothing, run only then: the rater's used places against the cap, and when the
   * earliest lease on a comparison this rater could still take expires (null: none; every such place
   * is judged or this rater had them all). $1 campaign, $2 rater.
   */
  whyNothingLeft: whyNothingLeft(''),

  /**
   * The same after a claim in one script (`Finish`): no row, and nothing counted, when the claim leased
   * assignment $3 (the statement sees the claim's insert). $1 campaign, $2 rater, $3 the claim's new assignment id.
   */
  whyNothingLeftUnlessLeased: whyNothingLeft(' WHERE NOT EXISTS (SELECT 1 FROM "Assignment" n WHERE n.id = $3::uuid)'),

  /**
   * Leases one comparison to the rater unless they already hold two open leases or reached the
   * campaign's cap: the first by id with room, neither removed nor adjudicated (or an unseen gold item when $6), that they never had,
   * skipping rows another claim holds; returns it as shown. $1 campaign, $2 rater, $3 now, $4 new assignment id, $5 leftIsA,
   * $6 gold, $7 per-rater cap (null: none), $8 lease seconds. A ranking task's cards are shown in the order of md5(assignment
   * id, slot): the new id is random (the service's draw), so the order is random per assignment and stored with it.
   * $9 the arm recorded on the assignment (uniform or control; `claimByPriority` records active).
   */
  claim: claimStatement(`c."isGold" = $6::boolean`),

  /**
   * The same, for the active arm of an active campaign: a regular comparison of a model pair drawn with weight = the
   * pair's priority (ModelPairPriority, refreshed in the background) instead of the first by id. No row when none of
   * the drawn pairs has a comparison for this rater: the caller then claims in id order. Same parameters ($6 false, $9 active).
   */
  claimByPriority: claimStatement(`c."isGold" = $6::boolean`, true),

  /**
   * The same for an adjudicated comparison (its k judgments in, an admin's answer standing) as a gold item, when the
   * claim wanted gold and no gold item was left: never to a rater who had the pair. Same parameters ($6 true).
   */
  claimAdjudicated: claimStatement(`$6::boolean AND NOT c."isGold" AND c."adjudicatedChoice" IS NOT NULL`),

  /**
   * Records a judgment: locks the rater's assignment, then its comparison. A lease that expired is
   * still taken while the comparison has room (its place was not given to anyone else). Moves one from
   * leased to submitted (only submitted when the lease had already been reclaimed). Returns no row
   * when the assignment is not open or the place is gone. $1 assignment, $2 rater, $3 campaign,
   * $4 choice, $5 strength, $6 criteria, $7 rationale, $8 timeMs, $9 key, $10 guideline version, $11 now,
   * $12 a ranking task's ranking (jsonb, slots; null for a pair), $13 all bad.
   */
  judge: judgeStatement(''),

  /**
   * The same in one round trip for a lease this instance handed out, whose fixed facts it remembers
   * (campaign, guideline version and its design, side order or card order), so the answer was validated
   * and put in canonical order before it was sent: this statement checks those facts and what the
   * separate read (`ownAssignment`) checks, and stores nothing when one does not hold (the caller then
   * takes the long way, which says why). Parameters as `judge`, and $14 leftIsA, $15 the card order
   * (int[], empty for a pair), $16 the design validated against (jsonb).
   */
  judgeLeased: judgeStatement(`
        AND a."campaignId" = $3::uuid AND a."guidelineVersion" = $10::int AND a."leftIsA" = $14::boolean AND a."shownOrder" = $15::int[]
        AND EXISTS (SELECT 1 FROM "Campaign" cp
          JOIN "CampaignGuideline" g ON g."campaignId" = cp.id AND g.version = $10::int AND g.design = $16::jsonb
          JOIN "CampaignMember" m ON m."campaignId" = cp.id AND m."userId" = $2::uuid AND NOT m.excluded
          WHERE cp.id = $3::uuid AND (cp.status = 'ACTIVE' OR (cp.status = 'PAUSED' AND a."expiresAt" > $11::timestamptz)))`),

  /**
   * Closes an open (or already reclaimed) lease as SKIPPED or FLAGGED, giving its place back if it
   * still held one, and stores the flag when $4 is set. Returns the status the assignment had.
   * $1 assignment, $2 rater, $3 new status, $4 flag reason, $5 flag target, $6 note, $7 now.
   */
  release: `
    WITH a AS (
      SELECT id, "campaignId", "comparisonId", status FROM "Assignment" WHERE id = $1::uuid AND "raterId" = $2::uuid FOR UPDATE
    ), closed AS (
      UPDATE "Assignment" x SET status = $3::"AssignmentStatus", "closedAt" = $7::timestamptz
      FROM a WHERE x.id = a.id AND a.status IN ('LEASED', 'EXPIRED') RETURNING x."comparisonId", a.status AS was
    ), freed AS (
      UPDATE "Comparison" y SET leased = y.leased - 1 FROM closed WHERE y.id = closed."comparisonId" AND closed.was = 'LEASED' RETURNING y.id
    ), flagged AS (
      INSERT INTO "Flag" ("campaignId", "assignmentId", "comparisonId", "raterId", reason, target, note, "createdAt")
      SELECT a."campaignId", a.id, a."comparisonId", $2::uuid, $4::text::"FlagReason", $5::text::"FlagTarget", $6::text, $7::timestamptz
      FROM a JOIN closed ON true WHERE $4::text IS NOT NULL RETURNING id
    )
    SELECT a.status::text AS status, (SELECT count(*)::int FROM freed) AS freed, (SELECT count(*)::int FROM flagged) AS flags FROM a`,

  /**
   * Takes back the rater's last judgment in the campaign if made after $3: recorded (undoneAt), never
   * deleted; the assignment is leased to the rater again until $5 and the comparison's place moves back
   * from submitted to leased. $1 assignment, $2 rater, $3 window start, $4 now, $5 new expiry.
   */
  undo: `
    WITH j AS (
      SELECT j.id, j."assignmentId" FROM "Judgment" j
      WHERE j."activeAssignmentId" = $1::uuid AND j."raterId" = $2::uuid AND j."createdAt" > $3::timestamptz
        AND NOT EXISTS (SELECT 1 FROM "Judgment" k WHERE k."raterId" = j."raterId" AND k."campaignId" = j."campaignId" AND k.id > j.id)
      FOR UPDATE
    ), reopened AS (
      UPDATE "Assignment" x SET status = 'LEASED', "expiresAt" = $5::timestamptz, "closedAt" = NULL
      FROM j WHERE x.id = j."assignmentId" AND x.status = 'SUBMITTED' RETURNING x.id, x."comparisonId"
    ), recounted AS (
      UPDATE "Comparison" y SET submitted = y.submitted - 1, leased = y.leased + 1 FROM reopened WHERE y.id = reopened."comparisonId" RETURNING y.id
    ), undone AS (
      UPDATE "Judgment" u SET "undoneAt" = $4::timestamptz, "activeAssignmentId" = NULL FROM j, recounted WHERE u.id = j.id RETURNING u.id
    )
    SELECT id FROM undone`,

  /**
   * Excluding (-1) or including again (+1) a rater: moves `submitted` of every comparison holding a
   * standing judgment of theirs, so that it keeps counting the judgments that count. Comparisons are
   * locked in id order first. Returns the ids of the comparisons changed. $1 campaign, $2 rater, $3 delta.
   */
  shiftSubmittedForRater: `
    WITH locked AS MATERIALIZED (
      SELECT c.id FROM "Comparison" c
      WHERE c."campaignId" = $1::uuid AND EXISTS (
        SELECT 1 FROM "Judgment" j WHERE j."comparisonId" = c.id AND j."raterId" = $2::uuid AND j."undoneAt" IS NULL)
      ORDER BY c.id FOR UPDATE
    )
    UPDATE "Comparison" c SET submitted = c.submitted + $3::int FROM locked l WHERE c.id = l.id RETURNING c.id`,

  /**
   * Recounts the vote summary of the comparisons $1 (int[]) that the explorer reads (votes per choice of
   * raters not excluded, dispute; migration `explorer`), leaving their last activity as it is. Judgments
   * keep it current by trigger; an exclusion changes it without touching a judgment.
   */
  refreshVoteSummary: `SELECT juxta_refresh_comparisons($1::int[], NULL)::text`,

  /**
   * Ends the rater's open leases in the campaign (an exclusion) and gives their places back; returns how
   * many. $1 campaign, $2 rater, $3 now.
   */
  expireRaterLeases: `
    WITH ${expireLeases(`
      SELECT a.id FROM "Assignment" a
      WHERE a."campaignId" = $1::uuid AND a."raterId" = $2::uuid AND a.status = 'LEASED'
      ORDER BY a.id FOR UPDATE`, '$3')}
    SELECT count(*)::int AS n FROM closed`,

  /** The rater's own assignment as shown (no row when it is not theirs). $1 assignment, $2 rater. */
  view: `${viewSql('"Assignment"')} WHERE va.id = $1::uuid AND va."raterId" = $2::uuid`,

  /** Published comparisons of the campaign, not removed, still wanting judgments (gold always does): a scan. $1 campaign. */
  countOpen: `SELECT count(*)::int AS n FROM "Comparison" c WHERE c."campaignId" = $1::uuid AND (c."isGold" OR c.submitted < c.target) AND NOT c.removed AND ${PUBLISHED}`,

  /**
   * The rater's own assignment with what judging it needs (the design of the guideline version it was
   * leased under; membership), and as `existing` the judgment they stored under the idempotency key, if
   * any. $1 assignment, $2 rater, $3 idempotency key (null: none).
   */
  ownAssignment: `
    SELECT a.id, a."campaignId", cp.status::text AS "campaignStatus", a.status::text AS status, a."expiresAt", a."leftIsA", a."shownOrder", cp."leaseSeconds",
       a."guidelineVersion", g.design, m.excluded,
       (SELECT row_to_json(x) FROM (SELECT ${JUDGMENT_FIELDS} FROM "Judgment" j
          WHERE j."raterId" = $2::uuid AND j."idempotencyKey" = $3::text) x) AS existing
     FROM "Assignment" a
     JOIN "Campaign" cp ON cp.id = a."campaignId"
     JOIN "CampaignGuideline" g ON g."campaignId" = cp.id AND g.version = a."guidelineVersion"
     LEFT JOIN "CampaignMember" m ON m."campaignId" = a."campaignId" AND m."userId" = a."raterId"
     WHERE a.id = $1::uuid AND a."raterId" = $2::uuid`,

  /** The judgment standing on an assignment (none once undone). $1 assignment. */
  standingJudgment: `SELECT ${JUDGMENT_FIELDS} FROM "Judgment" j WHERE j."activeAssignmentId" = $1::uuid`,

  /**
   * Locks the rater's membership row until the transaction ends (no row: not a member): a claim's first lock (sent
   * with its BEGIN), so one rater's claims run one at a time (the two-lease cap holds even with two tabs); also an
   * exclusion's. $1 campaign, $2 rater.
   */
  lockMembership: `SELECT excluded FROM "CampaignMember" WHERE "campaignId" = $1::uuid AND "userId" = $2::uuid FOR UPDATE`,
} as const;
