// Campaign join links' SQL: taking a use under the cap.

export const JOIN_LINK_SQL = {
  /**
   * Takes one use of link $1 if, at $2 (now), it is open, unexpired and under its cap; returns the new
   * count, or no row. One statement: under READ COMMITTED, a join that waited on the row's lock re-checks
   * the WHERE on the updated row, so N + 5 joins at once against a cap of N take exactly N uses (the
   * CHECK constraint "CampaignJoinLink_uses_within_cap" is the last guard).
   */
  takeUse: `
    UPDATE "CampaignJoinLink" SET uses = uses + 1
     WHERE id = $1::uuid AND "revokedAt" IS NULL AND "expiresAt" > $2 AND uses < "maxUses"
     RETURNING uses, "maxUses"`,
} as const;
