-- AlterTable
ALTER TABLE "Assignment" ADD COLUMN     "shownOrder" INTEGER[] DEFAULT ARRAY[]::INTEGER[];

-- AlterTable
ALTER TABLE "Comparison" ADD COLUMN     "goldRanking" JSONB,
ADD COLUMN     "referenceRanking" JSONB,
ADD COLUMN     "slots" INTEGER[] DEFAULT ARRAY[]::INTEGER[];

-- AlterTable
ALTER TABLE "Judgment" ADD COLUMN     "allBad" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "ranking" JSONB;
