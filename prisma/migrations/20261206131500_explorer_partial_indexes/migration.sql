-- The explorer's filters that few comparisons pass read a partial index instead of walking the campaign in
-- sort order until a page is full: at 1,000,000 judgments (bench:explorer) "over k" and "removed" walked all
-- 250,000 comparisons of the campaign for a handful of rows, "open" 175,000 (open ones are the least
-- recently active), "with a rationale" probed five judgments per comparison. Each index holds only the rows
-- its filter keeps, so it costs the rater loop little; the filters' SQL repeats these predicates exactly
-- (server/db/repositories/explorer.ts), or the planner cannot use them.

-- CreateIndex
CREATE INDEX "Comparison_explorer_open_idx" ON "Comparison"("campaignId", "lastActivityAt" DESC, "id" DESC) WHERE NOT "isGold" AND "submitted" < "target";

-- CreateIndex
CREATE INDEX "Comparison_explorer_over_idx" ON "Comparison"("campaignId", "lastActivityAt" DESC, "id" DESC) WHERE NOT "isGold" AND "submitted" > "target";

-- CreateIndex
CREATE INDEX "Comparison_explorer_removed_idx" ON "Comparison"("campaignId", "lastActivityAt" DESC, "id" DESC) WHERE "removed";

-- CreateIndex
CREATE INDEX "Comparison_explorer_flagged_idx" ON "Comparison"("campaignId", "lastActivityAt" DESC, "id" DESC) WHERE "flagCount" > 0;

-- CreateIndex
CREATE INDEX "Judgment_explorer_rationale_idx" ON "Judgment"("campaignId", "comparisonId") WHERE "undoneAt" IS NULL AND "rationale" IS NOT NULL AND "rationale" <> '';
