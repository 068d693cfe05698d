-- AlterTable
ALTER TABLE "ApiToken" ADD COLUMN     "campaignIds" UUID[] DEFAULT ARRAY[]::UUID[];

-- Tokens made before scopes were enforced were full admin tokens: they keep exactly those rights.
UPDATE "ApiToken" SET "scopes" = ARRAY['admin'] WHERE "scopes" IS NULL OR cardinality("scopes") = 0;
