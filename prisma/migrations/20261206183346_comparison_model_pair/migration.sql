-- A comparison's model pair, copied from its responses A and B (a ranking task: slots 0 and 1), so that the
-- explorer's model and model-pair filters and the active claim (the pair's priority) read one index instead of
-- joining two responses per comparison: at 1,000,000 judgments (bench:explorer) the pair filter walked the
-- campaign joining responses (370-913 ms a page), and the active claim joined a model's every response to its
-- comparisons (issue 19: 290-425 ms against uniform's 95 ms). A response's model never changes, so the copy
-- cannot drift; every writer of comparisons sets it (imports, generation, the test factory). Filled here for
-- existing rows before it becomes NOT NULL, so a writer that forgets it fails instead of hiding rows.

-- AlterTable
ALTER TABLE "Comparison" ADD COLUMN     "modelA" TEXT,
ADD COLUMN     "modelB" TEXT;

UPDATE "Comparison" c SET "modelA" = ra.model, "modelB" = rb.model
FROM "Response" ra, "Response" rb
WHERE ra.id = c."responseAId" AND rb.id = c."responseBId";

ALTER TABLE "Comparison" ALTER COLUMN "modelA" SET NOT NULL,
ALTER COLUMN "modelB" SET NOT NULL;

-- CreateIndex
CREATE INDEX "Comparison_campaignId_modelA_modelB_id_idx" ON "Comparison"("campaignId", "modelA", "modelB", "id");
