-- The explorer's gold filter, like the other filters few comparisons pass (explorer_partial_indexes): at
-- 1,000,000 judgments (bench:explorer, 1 comparison in 200 gold) a page walked about 7,000 comparisons in
-- activity order to find 50 gold ones (107 ms of a page at load 20; p95 349 ms over HTTP). The filter's SQL
-- (`c."isGold"`, server/db/sql/explorer.ts) is this index's predicate exactly, so the planner can use it.

-- CreateIndex
CREATE INDEX "Comparison_explorer_gold_idx" ON "Comparison"("campaignId", "lastActivityAt" DESC, "id" DESC) WHERE "isGold";
