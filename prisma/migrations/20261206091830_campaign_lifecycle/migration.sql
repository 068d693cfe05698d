-- AlterTable
-- Existing campaigns count as reviewed (they were already open to raters); new ones start unreviewed.
ALTER TABLE "Campaign" ADD COLUMN     "contentWarningReviewed" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "deletingAt" TIMESTAMPTZ(3);
ALTER TABLE "Campaign" ALTER COLUMN "contentWarningReviewed" SET DEFAULT false;
