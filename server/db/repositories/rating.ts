// The rater loop's reads and writes, each one statement of RATING_SQL (server/db/sql/rating.ts) run
// straight on the driver; a claim is one short transaction of them.
import type { Db } from '../handle';
import { RATING_SQL } from '../sql/rating';
import type { Query } from '../sql-runner';

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
  /** A ranking task's slots in the order its cards are shown; empty for a pair. */
  shownOrder: number[];
  /** A ranking task's contents by slot; null for a pair. */
  slotContents: string[] | null;
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
  selection: 'uniform' | 'active';
  controlShare: number;
  /** When the campaign's model-pair priorities were last written (null: never). */
  prioritiesAt: Date | null;
}

/** How a claim picks: in id order, recorded as `uniform` or `control`, or by model-pair priority (`active`). */
export type ClaimArm = 'uniform' | 'control' | 'active';

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
  /** Leases one more comparison (gold or regular); null when none is free or the rater holds enough. */
  claim(assignmentId: string, leftIsA: boolean, gold: boolean, issuedAt: Date, arm: ClaimArm): Promise<AssignmentView | null>;
  /**
   * The transaction's last statement: leases one regular comparison in id order (the arm is recorded) and commits,
   * on Postgres in the same round trip; when nothing was leased, with why (as `whyNothingLeft`, in the same
   * transaction). Nothing may run in the transaction after it.
   */
  claimAndCommit(assignmentId: string, leftIsA: boolean, issuedAt: Date, arm: 'uniform' | 'control'): Promise<{ view: AssignmentView; nothingLeft: null } | { view: null; nothingLeft: NothingLeft }>;
  /** Why no more could be leased: places used against the cap, and when the earliest lease on work still open to this rater expires. */
  whyNothingLeft(): Promise<NothingLeft>;
}

export interface NothingLeft {
  used: number;
  freeAt: Date | null;
}

const nothingLeft = (row: { used: number; freeAt: Date | string | null }): NothingLeft => ({ used: row.used, freeAt: row.freeAt === null ? null : new Date(row.freeAt) });

/**
 * Runs a claim as one short transaction, in two round trips for one lease on Postgres: BEGIN with the rater's lock,
 * then reclaiming stale leases and reading the campaign's settings and the rater's leases (one statement), all in one
 * simple query; then `work` issues claim statements, the last one with COMMIT where it can (`claimAndCommit`). `work` is not called when the campaign does not exist.
 */
export async function inClaimTransaction<T>(
  db: Db,
  campaignId: string,
  raterId: string,
  now: Date,
  dayStart: Date,
  work: (state: RaterClaimState, leases: RaterLeases, tx: ClaimTransaction) => Promise<T>,
): Promise<T | null> {
  const lead = { sql: RATING_SQL.lockMembership, params: [campaignId, raterId] };
  const opening = [{ sql: RATING_SQL.claimState, params: [campaignId, raterId, now, dayStart] }];
  return db.sql.transaction(
    async (query, finish, [stateRows]) => {
      const [row] = stateRows as (RaterClaimState & { prioritiesAt: Date | string | null; open: JsonView[]; counts: RaterCounts })[];
      if (!row) return null;
      const { open, counts, ...settings } = row;
      const state = { ...settings, prioritiesAt: settings.prioritiesAt === null ? null : new Date(settings.prioritiesAt) };
      const lease: ClaimParams = { campaignId, raterId, now, leaseSeconds: state.leaseSeconds, cap: state.maxJudgmentsPerRater };
      return work(state, { open: open.map(fromJson), counts }, {
        claim: (id, leftIsA, gold, issuedAt, arm) => claimOne(query, { ...lease, now: issuedAt }, id, leftIsA, gold, arm),
        claimAndCommit: async (id, leftIsA, issuedAt, arm) => {
          const [claimed, why] = await finish([
            { sql: RATING_SQL.claim, params: claimParams({ ...lease, now: issuedAt }, id, leftIsA, false, arm) },
            { sql: RATING_SQL.whyNothingLeftUnlessLeased, params: [campaignId, raterId, id] },
          ]);
          const [row] = claimed as { view: JsonView }[];
          if (row) return { view: fromJson(row.view), nothingLeft: null };
          return { view: null, nothingLeft: nothingLeft((why as { used: number; freeAt: Date | string | null }[])[0]!) };
        },
        whyNothingLeft: async () => {
          const [row] = await query<{ used: number; freeAt: Date | string | null }>(RATING_SQL.whyNothingLeft, [campaignId, raterId]);
          return nothingLeft(row!);
        },
      });
    },
    // Committed asynchronously on Postgres (README "Claiming"): a claim writes only what is recomputed when lost
    // (a lease and its leased counter, expired leases given back, ClaimFloor raised and ClaimReopen records
    // deleted, both conservative); visibility is as before, and an app crash loses nothing. A Postgres or OS crash
    // may undo the last ~3 x wal_writer_delay of claims, never a judgment's lease: the judgment commits
    // synchronously, after the claim in the WAL, so its flush carries the claim; a rater whose lease was undone
    // gets LEASE_LOST on submit and carries on. Judgments stay synchronous.
    { lead, opening, asyncCommit: true },
  );
}

/** The parameters of the claim statements (RATING_SQL.claim). */
const claimParams = (p: ClaimParams, assignmentId: string, leftIsA: boolean, gold: boolean, arm: ClaimArm) => [
  p.campaignId,
  p.raterId,
  p.now,
  assignmentId,
  leftIsA,
  gold,
  p.cap,
  p.leaseSeconds,
  arm,
];

async function claimOne(query: Query, p: ClaimParams, assignmentId: string, leftIsA: boolean, gold: boolean, arm: ClaimArm): Promise<AssignmentView | null> {
  const params = claimParams(p, assignmentId, leftIsA, gold, arm);
  if (arm === 'active') {
    const [drawn] = await query<{ view: JsonView }>(RATING_SQL.claimByPriority, params);
    // The drawn pairs have nothing for this rater (or what is left has no priority, e.g. two samples of one model):
    // id order, recorded as uniform since the priorities did not pick it.
    return drawn ? fromJson(drawn.view) : claimOne(query, p, assignmentId, leftIsA, gold, 'uniform');
  }
  const [row] = await query<{ view: JsonView }>(RATING_SQL.claim, params);
  if (row) return fromJson(row.view);
  // No gold item left for this rater: an adjudicated pair they never had is one too.
  const [adjudicated] = gold ? await query<{ view: JsonView }>(RATING_SQL.claimAdjudicated, params) : [];
  return adjudicated ? fromJson(adjudicated.view) : null;
}

/** The rater's own assignment as they see it (null when it is not theirs). */
export async function loadAssignmentView(db: Db, assignmentId: string, raterId: string): Promise<AssignmentView | null> {
  const [row] = await db.sql.query<{ view: JsonView }>(RATING_SQL.view, [assignmentId, raterId]);
  return row ? fromJson(row.view) : null;
}

/** Published comparisons of the campaign, not removed, still wanting judgments (gold always does): a scan, so callers cache it. */
export async function countOpenComparisons(db: Db, campaignId: string): Promise<number> {
  const [row] = await db.sql.query<{ n: number }>(RATING_SQL.countOpen, [campaignId]);
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
  /** A ranking task's slots as shown; empty for a pair. */
  shownOrder: number[];
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
  /** A ranking task's answer in slots (groups best first); null for a pair. */
  ranking: number[][] | null;
  allBad: boolean;
  /** The assignment's card order (slots), to show the ranking as the rater gave it; empty for a pair. */
  shownOrder: number[];
}

/**
 * The rater's own assignment with what judging it needs (the design of the guideline version it was
 * leased under, which the rater saw; membership), and the judgment they already stored under `idempotencyKey` if any. Someone else's
 * assignment reads as missing.
 */
export async function findOwnAssignment(
  db: Db,
  assignmentId: string,
  raterId: string,
  idempotencyKey: string | null = null,
): Promise<{ assignment: OwnAssignment | null; existing: StoredJudgment | null }> {
  const rows = await db.sql.query<(OwnAssignment & { existing: StoredJudgment | null })>(
    RATING_SQL.ownAssignment,
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
export async function findStandingJudgment(db: Db, assignmentId: string): Promise<StoredJudgment | null> {
  const rows = await db.sql.query<StoredJudgment>(RATING_SQL.standingJudgment, [assignmentId]);
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
  /** A ranking task's answer in slots; null for a pair. */
  ranking: number[][] | null;
  allBad: boolean;
}

const judgmentParams = (w: JudgmentWrite) => [
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
  w.ranking === null ? null : JSON.stringify(w.ranking),
  w.allBad,
];

/** Stores the judgment and moves the counters; null when the lease is lost or the assignment is not open. */
export async function insertJudgment(db: Db, w: JudgmentWrite): Promise<{ createdAt: Date } | null> {
  const rows = await db.sql.query<{ createdAt: Date }>(RATING_SQL.judge, judgmentParams(w));
  return rows[0] ?? null;
}

/** The fixed facts of a lease that the answer was validated and put in canonical order against. */
export interface LeaseCheck {
  leftIsA: boolean;
  /** A ranking task's card order (slots); empty for a pair. */
  shownOrder: number[];
  /** The design of the lease's guideline version, as JSON text. */
  designJson: string;
}

/**
 * The same without a read first, for a lease whose fixed facts the caller knows (see LeaseCheck, and the
 * campaign and guideline version): null when any of them, the membership or the campaign's status does
 * not hold, as well as when `insertJudgment` would refuse.
 */
export async function insertLeasedJudgment(db: Db, w: JudgmentWrite & LeaseCheck): Promise<{ createdAt: Date } | null> {
  const rows = await db.sql.query<{ createdAt: Date }>(RATING_SQL.judgeLeased, [...judgmentParams(w), w.leftIsA, w.shownOrder, w.designJson]);
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
export async function releaseAssignment(db: Db, w: ReleaseWrite): Promise<string | null> {
  const rows = await db.sql.query<{ status: string }>(
    RATING_SQL.release,
    [w.assignmentId, w.raterId, w.status, w.flag?.reason ?? null, w.flag?.target ?? null, w.flag?.note ?? null, w.now],
  );
  return rows[0]?.status ?? null;
}

/** Undoes the rater's last judgment on this assignment; false when it is not the last or too old. */
export async function undoLastJudgment(db: Db, assignmentId: string, raterId: string, windowStart: Date, now: Date, expiresAt: Date): Promise<boolean> {
  const rows = await db.sql.query(RATING_SQL.undo, [assignmentId, raterId, windowStart, now, expiresAt]);
  return rows.length > 0;
}
