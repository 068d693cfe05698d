// What this instance remembers of the leases it handed out: the facts of an assignment that never change
// (rater, campaign, guideline version, side order or a ranking task's card order) and the design the rater was shown. A judgment on such
// a lease is validated from them and stored in one statement (RATING_SQL.judgeLeased), which checks them
// again in the database, so a missing or wrong entry costs the long way round, never a wrong write.
// Per process and bounded; another instance's leases, or a restart, simply miss.
import { ZTaskDesignSchema, type TTaskDesign } from '../../contract/campaign';
import type { AssignmentView } from '../../db/repositories/rating';

export interface LeaseFacts {
  raterId: string;
  campaignId: string;
  guidelineVersion: number;
  leftIsA: boolean;
  /** A ranking task's slots in the order its cards were shown; empty for a pair. */
  shownOrder: number[];
  design: TTaskDesign;
  /** The design as JSON text, for the statement's comparison with the stored one. */
  designJson: string;
}

const MAX_LEASES = 5_000;
const MAX_DESIGNS = 500;
const leases = new Map<string, LeaseFacts>();
/** One copy of each (campaign, guideline version)'s design, shared by its leases. */
const designs = new Map<string, { design: TTaskDesign; designJson: string }>();

/** The parsed design shared by the leases of its version (null: it does not parse; not remembered). */
function sharedDesign(v: AssignmentView): { design: TTaskDesign; designJson: string } | null {
  const key = `${v.campaignId}/${v.guidelineVersion}`;
  const designJson = JSON.stringify(v.design);
  const known = designs.get(key);
  // A version's design may still be edited while no judgment uses it: keep the latest seen.
  if (known && known.designJson === designJson) return known;
  const parsed = ZTaskDesignSchema.safeParse(v.design);
  if (!parsed.success) return null;
  if (designs.size >= MAX_DESIGNS) designs.delete(designs.keys().next().value!);
  const entry = { design: parsed.data, designJson };
  designs.set(key, entry);
  return entry;
}

/** Remembers the leases a claim returned to `raterId` (oldest entries go first when full). */
export function rememberLeases(raterId: string, views: AssignmentView[]): void {
  for (const v of views) {
    const design = leases.has(v.id) ? null : sharedDesign(v);
    if (!design) continue;
    if (leases.size >= MAX_LEASES) leases.delete(leases.keys().next().value!);
    leases.set(v.id, { raterId, campaignId: v.campaignId, guidelineVersion: v.guidelineVersion, leftIsA: v.leftIsA, shownOrder: v.shownOrder, ...design });
  }
}

/** The remembered facts of the rater's assignment, if this instance leased it to them. */
export function leaseFacts(assignmentId: string, raterId: string): LeaseFacts | null {
  const facts = leases.get(assignmentId);
  return facts && facts.raterId === raterId ? facts : null;
}

/** Forgets a lease once judged: an undo leases it again through the long way. */
export function forgetLease(assignmentId: string): void {
  leases.delete(assignmentId);
}
