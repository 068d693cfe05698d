// What a rater may do in a campaign of each status (DESIGN, "Lifecycle"), and why a rater is given
// nothing more. ACTIVE: everything. PAUSED: no new claims, but a lease already open may still be judged,
// skipped, flagged and undone until it expires. DRAFT and ARCHIVED: nothing (409 CAMPAIGN_NOT_ACTIVE).
import type { TRaterStop } from '../contract/rater';

export type CampaignStatus = 'DRAFT' | 'ACTIVE' | 'PAUSED' | 'ARCHIVED';

/** New comparisons are leased in an active campaign only. */
export function mayClaim(status: string): boolean {
  return status === 'ACTIVE';
}

/** A rater's open leases are still shown (and may be worked on) while the campaign is active or paused. */
export function mayKeepLeases(status: string): boolean {
  return status === 'ACTIVE' || status === 'PAUSED';
}

/**
 * Judge, skip, flag or undo on an assignment whose lease runs until `expiresAt`: any time in an active
 * campaign (a late judgment is still taken while its place is free), until the lease expires in a paused one.
 */
export function mayActOnLease(status: string, expiresAt: Date, now: Date): boolean {
  return status === 'ACTIVE' || (status === 'PAUSED' && expiresAt.getTime() > now.getTime());
}

export interface NothingLeft {
  status: string;
  /** The campaign's per-rater cap (null: none) and the places this rater used (leased or judged). */
  cap: number | null;
  used: number;
  /** When the earliest other lease on work still open to this rater expires (null: no such lease). */
  freeAt: Date | null;
}

/** Why a claim gave nothing, most fundamental reason first; ALL_LEASED carries the wait in whole seconds. */
export function stopReason(s: NothingLeft, now: Date): { stop: TRaterStop; retryAfterSeconds?: number } {
  if (!mayClaim(s.status)) return { stop: 'CAMPAIGN_NOT_ACTIVE' };
  if (s.cap !== null && s.used >= s.cap) return { stop: 'CAP_REACHED' };
  if (s.freeAt) return { stop: 'ALL_LEASED', retryAfterSeconds: Math.max(0, Math.ceil((s.freeAt.getTime() - now.getTime()) / 1000)) };
  return { stop: 'DONE' };
}
