-- CreateEnum
CREATE TYPE "CampaignSelection" AS ENUM ('uniform', 'active');

-- CreateEnum
CREATE TYPE "SelectionArm" AS ENUM ('uniform', 'control', 'active');

-- AlterTable
ALTER TABLE "Assignment" ADD COLUMN     "arm" "SelectionArm" NOT NULL DEFAULT 'uniform';

-- AlterTable
ALTER TABLE "Campaign" ADD COLUMN     "controlShare" DOUBLE PRECISION NOT NULL DEFAULT 0.2,
ADD COLUMN     "selection" "CampaignSelection" NOT NULL DEFAULT 'uniform';

-- CreateTable
CREATE TABLE "ModelPairPriority" (
    "campaignId" UUID NOT NULL,
    "modelA" TEXT NOT NULL,
    "modelB" TEXT NOT NULL,
    "priority" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "ModelPairPriority_pkey" PRIMARY KEY ("campaignId","modelA","modelB")
);

-- CreateTable
CREATE TABLE "SelectionRefresh" (
    "campaignId" UUID NOT NULL,
    "refreshedAt" TIMESTAMPTZ(3),
    "claimedAt" TIMESTAMPTZ(3),
    "judgments" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "SelectionRefresh_pkey" PRIMARY KEY ("campaignId")
);

-- AddForeignKey
ALTER TABLE "ModelPairPriority" ADD CONSTRAINT "ModelPairPriority_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "Campaign"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SelectionRefresh" ADD CONSTRAINT "SelectionRefresh_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "Campaign"("id") ON DELETE CASCADE ON UPDATE CASCADE;
