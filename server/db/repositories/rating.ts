// The rater loop's SQL: leases (claim, reclaim, release), judgments and undo, with the counters on the
// comparison row. Each write is one statement (data-modifying CTEs), so a lock is held for one round
// trip. Lock order everywhere: CampaignMember, then Assignment, then Comparison (several comparisons in
// id order), so concurrent writers cannot deadlock. Rows of an import that is not PUBLISHED are never picked.
// The SQL text is exported so bench/judge.ts can run the very same statements straight through `pg`.
import type { Database } from '../database';
import { sqlOf, type Query } from '../sql-runner';
import { publishedImportCondition } from './imports';

const PUBLISHED = publishedImportCondition('c');

/** One assignment as JSON, as the rater will see it once sides are mapped; `source` is "Assignment" or a CTE of new rows. */
const viewSql = (source: string) => `SELECT json_build_object('id', va.id, 'campaignId', va."campaignId", 'leftIsA', va."leftIsA",
    'expiresAt', va."expiresAt", 'guidelineVersion', va."guidelineVersion", 'design', vg.design, 'context', vp.context,
    'aContent', vra.content, 'bContent', vrb.content) AS view, va."issuedAt", va.id
  FROM ${source} va
  JOIN "CampaignGuideline" vg ON vg."campaignId" = va."campaignId" AND vg.version = va."guidelineVersion"
  JOIN "Comparison" vx ON vx.id = va."comparisonId"
  JOIN "Prompt" vp ON vp.id = vx."promptId"
  JOIN "Response" vra ON vra.id = vx."responseAId"
  JOIN "Response" vrb ON vrb.id = vx."responseBId"`;

/** Bounded: one claim never spends long reclaiming; the next claim takes the rest. */
export const RECLAIM_BATCH = 100;

export const RATING_SQL = {
  /**
   * First statement of a claim: expires the campaign's stale leases (SKIP LOCKED, id order), gives their
   * places back to the comparisons, and locks the rater's membership row so one rater's claims run one
   * at a time (the two-lease cap holds even with two tabs). Returns the campaign's settings and whether
   * the rater is a member (null: not). The rater's leases are read by the next statement, after this
   * lock is granted: read here, a claim that waited for the lock would see the leases as they were
   * before the claim it waited for. $1 campaign, $2 rater, $3 now.
   */
  reclaimAndLockRater: `
    WITH expired AS (
      SELECT a.id FROM "Assignment" a
      WHERE a."campaignId" = $1::uuid AND a.status = 'LEASED' AND a."expiresAt" <= $3::timestamptz
      ORDER BY a.id LIMIT ${RECLAIM_BATCH} FOR UPDATE SKIP LOCKED
    ), closed AS (
      UPDATE "Assignment" a SET status = 'EXPIRED', "closedAt" = $3::timestamptz
      FROM expired e WHERE a.id = e.id RETURNING a."comparisonId"
    ), freed AS (
      SELECT "comparisonId" AS id, count(*)::int AS n FROM closed GROUP BY 1
    ), locked AS MATERIALIZED (
      SELECT c.id, f.n FROM "Comparison" c JOIN freed f ON f.id = c.id ORDER BY c.id FOR UPDATE OF c
    ), released AS (
      UPDATE "Comparison" c SET leased = c.leased - l.n FROM locked l WHERE c.id = l.id RETURNING c.id
    ), member AS (
      SELECT m.excluded FROM "CampaignMember" m WHERE m."campaignId" = $1::uuid AND m."userId" = $2::uuid FOR UPDATE
    )
    SELECT cp.status::text AS status, cp."leaseSeconds", cp."goldRate", cp."maxJudgmentsPerRater",
      (SELECT excluded FROM member) AS excluded, (SELECT count(*)::int FROM released) AS reclaimed
    FROM "Campaign" cp WHERE cp.id = $1::uuid`,

  /**
   * Second statement of a claim, under the rater's lock (so it sees every lease committed before it):
   * the rater's open leases as shown, oldest first, and their counts for progress.
   * $1 campaign, $2 rater, $3 now, $4 start of today.
   */
  raterLeases: `
    SELECT
      (SELECT coalesce(json_agg(o.view ORDER BY o."issuedAt", o.id), '[]') FROM (
         ${viewSql('"Assignment"')}
         WHERE va."campaignId" = $1::uuid AND va."raterId" = $2::uuid AND va.status = 'LEASED' AND va."expiresAt" > $3::timestamptz
         ORDER BY va."issuedAt", va.id LIMIT 2) o) AS "open",
      (SELECT json_build_object(
         'judgedToday', count(*) FILTER (WHERE a.status = 'SUBMITTED' AND a."closedAt" >= $4::timestamptz),
         'judgedTotal', count(*) FILTER (WHERE a.status = 'SUBMITTED'),
         'closedOpen', count(*) FILTER (WHERE a.status <> 'LEASED' AND (c."isGold" OR c.submitted < c.target)))
       FROM "Assignment" a JOIN "Comparison" c ON c.id = a."comparisonId"
       WHERE a."campaignId" = $1::uuid AND a."raterId" = $2::uuid) AS counts`,

  /**
   * Why a claim found nothing, run only then: the rater's used places against the cap, and when the
   * earliest lease on a comparison this rater could still take expires (null: none; every such place
   * is judged or this rater had them all). $1 campaign, $2 rater.
   */
  whyNothingLeft: `
    SELECT
      (SELECT count(*)::int FROM "Assignment" a
       WHERE a."campaignId" = $1::uuid AND a."raterId" = $2::uuid AND a.status IN ('LEASED', 'SUBMITTED')) AS used,
      (SELECT min(l."expiresAt") FROM "Comparison" c
       JOIN "Assignment" l ON l."comparisonId" = c.id AND l.status = 'LEASED'
       WHERE c."campaignId" = $1::uuid AND NOT c."isGold" AND c.submitted < c.target AND ${PUBLISHED}
         AND NOT EXISTS (SELECT 1 FROM "Assignment" x WHERE x."comparisonId" = c.id AND x."raterId" = $2::uuid)) AS "freeAt"`,

  /**
   * Leases one comparison to the rater unless they already hold two open leases or reached the
   * campaign's cap: the first by id with room, not removed (or an unseen gold item when $6), that they never had,
   * skipping rows another claim holds; returns it as shown. $1 campaign, $2 rater, $3 now, $4 new assignment id, $5 leftIsA,
   * $6 gold, $7 per-rater cap (null: none), $8 lease seconds.
   */
  claim: `
    WITH own AS (
      SELECT count(*) FILTER (WHERE a.status = 'LEASED' AND a."expiresAt" > $3::timestamptz) AS open, count(*) AS used
      FROM "Assignment" a
      WHERE a."campaignId" = $1::uuid AND a."raterId" = $2::uuid AND a.status IN ('LEASED', 'SUBMITTED')
    ), pick AS (
      SELECT c.id FROM "Comparison" c
      WHERE c."campaignId" = $1::uuid AND c."isGold" = $6::boolean
        AND (c."isGold" OR c.submitted + c.leased < c.target) AND NOT c.removed
        AND (SELECT open < 2 AND ($7::int IS NULL OR used < $7::int) FROM own)
        AND ${PUBLISHED}
        AND NOT EXISTS (SELECT 1 FROM "Assignment" x WHERE x."comparisonId" = c.id AND x."raterId" = $2::uuid)
      ORDER BY c.id LIMIT 1 FOR UPDATE OF c SKIP LOCKED
    ), bump AS (
      UPDATE "Comparison" c SET leased = c.leased + 1 FROM pick WHERE c.id = pick.id RETURNING c.id
    )
    , lease AS (
      INSERT INTO "Assignment" (id, "campaignId", "comparisonId", "raterId", "leftIsA", "guidelineVersion", status, "issuedAt", "expiresAt")
      SELECT $4::uuid, $1::uuid, bump.id, $2::uuid, $5::boolean, cp."guidelineVersion", 'LEASED', $3::timestamptz, $3::timestamptz + make_interval(secs => $8::int)
      FROM bump JOIN "Campaign" cp ON cp.id = $1::uuid RETURNING *
    )
    ${viewSql('lease')}`,

  /**
   * Records a judgment: locks the rater's assignment, then its comparison. A lease that expired is
   * still taken while the comparison has room (its place was not given to anyone else). Moves one from
   * leased to submitted (only submitted when the lease had already been reclaimed). Returns no row
   * when the assignment is not open or the place is gone. $1 assignment, $2 rater, $3 campaign,
   * $4 choice, $5 strength, $6 criteria, $7 rationale, $8 timeMs, $9 key, $10 guideline version, $11 now.
   */
  judge: `
    WITH a AS (
      SELECT id, "comparisonId", status, "leftIsA" FROM "Assignment"
      WHERE id = $1::uuid AND "raterId" = $2::uuid AND status IN ('LEASED', 'EXPIRED')
      FOR UPDATE
    ), c AS (
      SELECT c.id, c."isGold" FROM "Comparison" c JOIN a ON c.id = a."comparisonId"
      WHERE a.status = 'LEASED' OR c."isGold" OR c.submitted + c.leased < c.target
      FOR UPDATE OF c
    ), j AS (
      INSERT INTO "Judgment" ("assignmentId", "activeAssignmentId", "campaignId", "comparisonId", "raterId", choice, "leftIsA", strength,
        criteria, rationale, "timeMs", "idempotencyKey", "guidelineVersion", "isGold", "createdAt")
      SELECT a.id, a.id, $3::uuid, c.id, $2::uuid, $4::"Choice", a."leftIsA", $5::int, $6::jsonb, $7::text, $8::int, $9::text, $10::int, c."isGold", $11::timestamptz
      FROM a JOIN c ON c.id = a."comparisonId"
      RETURNING id, "createdAt"
    ), done AS (
      UPDATE "Assignment" x SET status = 'SUBMITTED', "closedAt" = $11::timestamptz FROM j WHERE x.id = $1::uuid RETURNING x.id
    ), counted AS (
      UPDATE "Comparison" y SET submitted = y.submitted + 1, leased = y.leased - CASE WHEN a.status = 'LEASED' THEN 1 ELSE 0 END
      FROM a, j WHERE y.id = a."comparisonId" RETURNING y.id
    )
    SELECT j."createdAt" FROM j, done, counted`,

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
} as const;

/** An assignment as the rater will see it, before left/right are resolved from `leftIsA`. */
export interface AssignmentView {
  id: string;
  campaignId: string;
  leftIsA: boolean;
  expiresAt: Date;
  guidelineVersion: number;
  design: unknown;
  context: unknown;
  aContent: string;
  bContent: string;
}

/** The rater's own counts in a campaign, for their progress. */
export interface RaterCounts {
  judgedToday: number;
  judgedTotal: number;
  /** Comparisons still wanting judgments that this rater already closed (judged, skipped, flagged, let expire). */
  closedOpen: number;
}

type JsonView = Omit<AssignmentView, 'expiresAt'> & { expiresAt: string };

// json_build_object gives the timestamp as text.
const fromJson = (v: JsonView): AssignmentView => ({ ...v, expiresAt: new Date(v.expiresAt) });

export interface RaterClaimState {
  status: string;
  leaseSeconds: number;
  goldRate: number;
  maxJudgmentsPerRater: number | null;
  /** null: not a member. */
  excluded: boolean | null;
  reclaimed: number;
}

export interface RaterLeases {
  /** The rater's open leases as shown, oldest first (at most two). */
  open: AssignmentView[];
  counts: RaterCounts;
}

export interface ClaimParams {
  campaignId: string;
  raterId: string;
  now: Date;
  leaseSeconds: number;
  cap: number | null;
}

export interface ClaimTransaction {
  /** The rater's open leases and counts, read under the rater's lock. */
  leases(): Promise<RaterLeases>;
  /** Leases one more comparison (gold or regular); null when none is free or the rater holds enough. */
  claim(assignmentId: string, leftIsA: boolean, gold: boolean, issuedAt: Date): Promise<AssignmentView | null>;
  /** Why no more could be leased: places used against the cap, and when the earliest lease on work still open to this rater expires. */
  whyNothingLeft(): Promise<{ used: number; freeAt: Date | null }>;
}

/**
 * Runs a claim as one short transaction: reclaim stale leases and lock the rater (one statement), then
 * `work` reads the rater's leases and issues claim statements. `work` is not called when the campaign does not exist.
 */
export async function inClaimTransaction<T>(
  db: Database,
  campaignId: string,
  raterId: string,
  now: Date,
  dayStart: Date,
  work: (state: RaterClaimState, tx: ClaimTransaction) => Promise<T>,
): Promise<T | null> {
  return sqlOf(db).transaction(async (query) => {
    const [state] = await query<RaterClaimState>(RATING_SQL.reclaimAndLockRater, [campaignId, raterId, now]);
    if (!state) return null;
    const lease: ClaimParams = { campaignId, raterId, now, leaseSeconds: state.leaseSeconds, cap: state.maxJudgmentsPerRater };
    return work(state, {
      leases: async () => {
        const [row] = await query<{ open: JsonView[]; counts: RaterCounts }>(RATING_SQL.raterLeases, [campaignId, raterId, now, dayStart]);
        return { open: row!.open.map(fromJson), counts: row!.counts };
      },
      claim: (id, leftIsA, gold, issuedAt) => claimOne(query, { ...lease, now: issuedAt }, id, leftIsA, gold),
      whyNothingLeft: async () => {
        const [row] = await query<{ used: number; freeAt: Date | string | null }>(RATING_SQL.whyNothingLeft, [campaignId, raterId]);
        return { used: row!.used, freeAt: row!.freeAt === null ? null : new Date(row!.freeAt) };
      },
    });
  });
}

async function claimOne(query: Query, p: ClaimParams, assignmentId: string, leftIsA: boolean, gold: boolean): Promise<AssignmentView | null> {
  const [row] = await query<{ view: JsonView }>(RATING_SQL.claim, [p.campaignId, p.raterId, p.now, assignmentId, leftIsA, gold, p.cap, p.leaseSeconds]);
  return row ? fromJson(row.view) : null;
}

/** The rater's own assignment as they see it (null when it is not theirs). */
export async function loadAssignmentView(db: Database, assignmentId: string, raterId: string): Promise<AssignmentView | null> {
  const [row] = await sqlOf(db).query<{ view: JsonView }>(`${viewSql('"Assignment"')} WHERE va.id = $1::uuid AND va."raterId" = $2::uuid`, [assignmentId, raterId]);
  return row ? fromJson(row.view) : null;
}

/** Published comparisons of the campaign, not removed, still wanting judgments (gold always does): a scan, so callers cache it. */
export async function countOpenComparisons(db: Database, campaignId: string): Promise<number> {
  const [row] = await sqlOf(db).query<{ n: number }>(
    `SELECT count(*)::int AS n FROM "Comparison" c WHERE c."campaignId" = $1::uuid AND (c."isGold" OR c.submitted < c.target) AND NOT c.removed AND ${PUBLISHED}`,
    [campaignId],
  );
  return row?.n ?? 0;
}

export interface OwnAssignment {
  id: string;
  campaignId: string;
  /** The campaign's status (DRAFT, ACTIVE, PAUSED, ARCHIVED). */
  campaignStatus: string;
  status: string;
  expiresAt: Date;
  leftIsA: boolean;
  leaseSeconds: number;
  guidelineVersion: number;
  design: unknown;
  /** null: no longer a member. */
  excluded: boolean | null;
}

export interface StoredJudgment {
  assignmentId: string;
  choice: 'A' | 'B' | 'TIE' | 'BOTH_BAD';
  strength: number | null;
  criteria: unknown;
  rationale: string | null;
  timeMs: number;
  createdAt: Date;
  leftIsA: boolean;
}

const JUDGMENT_FIELDS = `j."assignmentId", j.choice::text AS choice, j.strength, j.criteria, j.rationale, j."timeMs", j."createdAt", j."leftIsA"`;

/**
 * The rater's own assignment with what judging it needs (the design of the guideline version it was
 * leased under, which the rater saw; membership), and the judgment they already stored under `idempotencyKey` if any. Someone else's
 * assignment reads as missing.
 */
export async function findOwnAssignment(
  db: Database,
  assignmentId: string,
  raterId: string,
  idempotencyKey: string | null = null,
): Promise<{ assignment: OwnAssignment | null; existing: StoredJudgment | null }> {
  const rows = await sqlOf(db).query<(OwnAssignment & { existing: StoredJudgment | null })>(
    `SELECT a.id, a."campaignId", cp.status::text AS "campaignStatus", a.status::text AS status, a."expiresAt", a."leftIsA", cp."leaseSeconds", a."guidelineVersion", g.design, m.excluded,
       (SELECT row_to_json(x) FROM (SELECT ${JUDGMENT_FIELDS} FROM "Judgment" j
          WHERE j."raterId" = $2::uuid AND j."idempotencyKey" = $3::text) x) AS existing
     FROM "Assignment" a
     JOIN "Campaign" cp ON cp.id = a."campaignId"
     JOIN "CampaignGuideline" g ON g."campaignId" = cp.id AND g.version = a."guidelineVersion"
     LEFT JOIN "CampaignMember" m ON m."campaignId" = a."campaignId" AND m."userId" = a."raterId"
     WHERE a.id = $1::uuid AND a."raterId" = $2::uuid`,
    [assignmentId, raterId, idempotencyKey],
  );
  const row = rows[0];
  if (!row) return { assignment: null, existing: null };
  const { existing, ...assignment } = row;
  // row_to_json gives the timestamp as text.
  return {
    assignment: { ...assignment, expiresAt: new Date(assignment.expiresAt) },
    existing: existing ? { ...existing, createdAt: new Date(existing.createdAt) } : null,
  };
}

/** The judgment standing on an assignment (null once undone or when there is none). */
export async function findStandingJudgment(db: Database, assignmentId: string): Promise<StoredJudgment | null> {
  const rows = await sqlOf(db).query<StoredJudgment>(
    `SELECT ${JUDGMENT_FIELDS} FROM "Judgment" j WHERE j."activeAssignmentId" = $1::uuid`,
    [assignmentId],
  );
  return rows[0] ?? null;
}

export interface JudgmentWrite {
  assignmentId: string;
  raterId: string;
  campaignId: string;
  choice: string;
  strength: number | null;
  criteria: unknown;
  rationale: string | null;
  timeMs: number;
  idempotencyKey: string;
  guidelineVersion: number;
  now: Date;
}

/** Stores the judgment and moves the counters; null when the lease is lost or the assignment is not open. */
export async function insertJudgment(db: Database, w: JudgmentWrite): Promise<{ createdAt: Date } | null> {
  const rows = await sqlOf(db).query<{ createdAt: Date }>(
    RATING_SQL.judge,
    [
      w.assignmentId,
      w.raterId,
      w.campaignId,
      w.choice,
      w.strength,
      w.criteria === null ? null : JSON.stringify(w.criteria),
      w.rationale,
      w.timeMs,
      w.idempotencyKey,
      w.guidelineVersion,
      w.now,
    ],
  );
  return rows[0] ?? null;
}

export interface ReleaseWrite {
  assignmentId: string;
  raterId: string;
  status: 'SKIPPED' | 'FLAGGED';
  flag: { reason: string; target: string; note: string | null } | null;
  now: Date;
}

/** Closes the lease; returns the status the assignment had (null: not the rater's). */
export async function releaseAssignment(db: Database, w: ReleaseWrite): Promise<string | null> {
  const rows = await sqlOf(db).query<{ status: string }>(
    RATING_SQL.release,
    [w.assignmentId, w.raterId, w.status, w.flag?.reason ?? null, w.flag?.target ?? null, w.flag?.note ?? null, w.now],
  );
  return rows[0]?.status ?? null;
}

/** Undoes the rater's last judgment on this assignment; false when it is not the last or too old. */
export async function undoLastJudgment(db: Database, assignmentId: string, raterId: string, windowStart: Date, now: Date, expiresAt: Date): Promise<boolean> {
  const rows = await sqlOf(db).query(RATING_SQL.undo, [assignmentId, raterId, windowStart, now, expiresAt]);
  return rows.length > 0;
}

/** Postgres unique violation: the same idempotency key stored by a concurrent retry. */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; cause?: { code?: string; originalCode?: string }; meta?: { code?: string } };
  return e?.code === 'P2002' || e?.code === '23505' || e?.meta?.code === '23505' || e?.cause?.originalCode === '23505' || e?.cause?.code === '23505';
}
