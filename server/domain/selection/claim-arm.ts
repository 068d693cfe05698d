// Which arm a claim of an active campaign goes to: the control share stays uniform; the rest follows the
// model-pair priorities while they are fresh, and falls back to uniform when they are stale or missing.
import type { TSelection, TSelectionArm } from '../../contract/campaign';

export interface ArmInputs {
  selection: TSelection;
  controlShare: number;
  /** When the priorities were last written (null: never). */
  prioritiesAt: Date | null;
  now: Date;
  staleSeconds: number;
  /** Gold is never picked by priority: it is mixed in at the gold rate, in id order. */
  gold: boolean;
  /** Uniform in [0, 1), drawn only for an active campaign's regular claims. */
  draw: () => number;
}

export function chooseClaimArm(o: ArmInputs): TSelectionArm {
  if (o.gold || o.selection === 'uniform') return 'uniform';
  // Drawn before looking at freshness, so the control share holds whatever the refresher does.
  if (o.draw() < o.controlShare) return 'control';
  const fresh = o.prioritiesAt !== null && o.now.getTime() - o.prioritiesAt.getTime() < o.staleSeconds * 1000;
  return fresh ? 'active' : 'uniform';
}
