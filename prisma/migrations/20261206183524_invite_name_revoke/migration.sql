-- AlterTable
ALTER TABLE "Invite" ADD COLUMN     "name" TEXT,
ADD COLUMN     "revokedAt" TIMESTAMPTZ(3),
ADD COLUMN     "revokedById" UUID;

-- CreateIndex
CREATE INDEX "Invite_campaignId_createdAt_id_idx" ON "Invite"("campaignId", "createdAt" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "Invite_createdAt_id_idx" ON "Invite"("createdAt" DESC, "id" DESC);

-- AddForeignKey
ALTER TABLE "Invite" ADD CONSTRAINT "Invite_revokedById_fkey" FOREIGN KEY ("revokedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;
