-- Response identity becomes (prompt, key): the external id, or model and sample index, so that several
-- responses of one model (samples of one policy) can answer one prompt.

-- DropIndex
DROP INDEX "Response_promptId_model_key";

-- AlterTable: existing rows get the key an import computes today ('id:' + external id, else
-- 'model:' + model + '#0', as each prompt had one response per model); an external id used twice
-- within one prompt falls back to the model form.
ALTER TABLE "Response" ADD COLUMN     "key" TEXT;

UPDATE "Response" r SET "key" = CASE
    WHEN r."externalId" IS NOT NULL AND NOT EXISTS (
      SELECT 1 FROM "Response" o WHERE o."promptId" = r."promptId" AND o."externalId" = r."externalId" AND o."id" <> r."id")
    THEN 'id:' || r."externalId"
    ELSE 'model:' || r."model" || '#0'
  END;

ALTER TABLE "Response" ALTER COLUMN "key" SET NOT NULL;

-- CreateIndex
CREATE UNIQUE INDEX "Response_promptId_key_key" ON "Response"("promptId", "key");
