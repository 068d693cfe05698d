-- AlterTable
ALTER TABLE "Campaign" ADD COLUMN     "judgmentBudget" INTEGER,
ADD COLUMN     "pauseWhenAnswered" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "settleMargin" DOUBLE PRECISION NOT NULL DEFAULT 0;
