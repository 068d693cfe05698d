-- Review actions: flags dismissed, comparisons removed and restored, responses marked broken (each with its
-- event history, so an export as of an earlier time is unchanged), and adjudicated answers of disputed comparisons.

-- DropIndex
DROP INDEX "Flag_campaignId_idx";

-- AlterTable
ALTER TABLE "Comparison" ADD COLUMN     "adjudicatedChoice" "Choice",
ADD COLUMN     "removed" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "removedAt" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "Flag" ADD COLUMN     "dismissedAt" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "Response" ADD COLUMN     "brokenAt" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "RemovalEvent" (
    "id" SERIAL NOT NULL,
    "campaignId" UUID NOT NULL,
    "comparisonId" INTEGER,
    "responseId" INTEGER,
    "removed" BOOLEAN NOT NULL,
    "actorId" UUID,
    "reason" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "RemovalEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Adjudication" (
    "id" SERIAL NOT NULL,
    "campaignId" UUID NOT NULL,
    "comparisonId" INTEGER NOT NULL,
    "choice" "Choice" NOT NULL,
    "note" TEXT,
    "actorId" UUID,
    "createdAt" TIMESTAMPTZ(3) NOT NULL,
    "withdrawnAt" TIMESTAMPTZ(3),

    CONSTRAINT "Adjudication_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "RemovalEvent_campaignId_createdAt_idx" ON "RemovalEvent"("campaignId", "createdAt");

-- CreateIndex
CREATE INDEX "RemovalEvent_comparisonId_idx" ON "RemovalEvent"("comparisonId");

-- CreateIndex
CREATE INDEX "RemovalEvent_responseId_idx" ON "RemovalEvent"("responseId");

-- CreateIndex
CREATE INDEX "Adjudication_comparisonId_createdAt_idx" ON "Adjudication"("comparisonId", "createdAt");

-- CreateIndex
CREATE INDEX "Adjudication_campaignId_createdAt_idx" ON "Adjudication"("campaignId", "createdAt");

-- CreateIndex
CREATE INDEX "Flag_campaignId_createdAt_id_idx" ON "Flag"("campaignId", "createdAt" DESC, "id" DESC);

-- AddForeignKey
ALTER TABLE "RemovalEvent" ADD CONSTRAINT "RemovalEvent_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "Campaign"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RemovalEvent" ADD CONSTRAINT "RemovalEvent_comparisonId_fkey" FOREIGN KEY ("comparisonId") REFERENCES "Comparison"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RemovalEvent" ADD CONSTRAINT "RemovalEvent_responseId_fkey" FOREIGN KEY ("responseId") REFERENCES "Response"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RemovalEvent" ADD CONSTRAINT "RemovalEvent_actorId_fkey" FOREIGN KEY ("actorId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Adjudication" ADD CONSTRAINT "Adjudication_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "Campaign"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Adjudication" ADD CONSTRAINT "Adjudication_comparisonId_fkey" FOREIGN KEY ("comparisonId") REFERENCES "Comparison"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Adjudication" ADD CONSTRAINT "Adjudication_actorId_fkey" FOREIGN KEY ("actorId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- A removal event is about one comparison or one response, never both or neither.
ALTER TABLE "RemovalEvent" ADD CONSTRAINT "RemovalEvent_one_target" CHECK (("comparisonId" IS NULL) <> ("responseId" IS NULL));
