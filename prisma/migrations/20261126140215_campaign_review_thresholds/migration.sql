-- AlterTable
ALTER TABLE "Campaign" ADD COLUMN     "reviewThresholds" JSONB NOT NULL DEFAULT '{}';
