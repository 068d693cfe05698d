-- The generation claim takes an endpoint's pending items in id order, LIMIT n: with id in the index it reads
-- n rows instead of sorting every pending item of the endpoint on each claim.
-- DropIndex
DROP INDEX "GenerationItem_endpointId_status_idx";

-- CreateIndex
CREATE INDEX "GenerationItem_endpointId_status_id_idx" ON "GenerationItem"("endpointId", "status", "id");
