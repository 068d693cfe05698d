-- Campaign join links: one shareable link per campaign with a cap on uses and an expiry (issue 16 item 2).
-- CreateTable
CREATE TABLE "CampaignJoinLink" (
    "id" UUID NOT NULL,
    "campaignId" UUID NOT NULL,
    "token" TEXT NOT NULL,
    "maxUses" INTEGER NOT NULL,
    "uses" INTEGER NOT NULL DEFAULT 0,
    "createdById" UUID,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "revokedAt" TIMESTAMPTZ(3),
    "replaced" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "CampaignJoinLink_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "CampaignJoinLink_token_key" ON "CampaignJoinLink"("token");

-- CreateIndex
CREATE INDEX "CampaignJoinLink_campaignId_createdAt_idx" ON "CampaignJoinLink"("campaignId", "createdAt");

-- AddForeignKey
ALTER TABLE "CampaignJoinLink" ADD CONSTRAINT "CampaignJoinLink_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "Campaign"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CampaignJoinLink" ADD CONSTRAINT "CampaignJoinLink_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- One open link per campaign: making a new link closes the old one in the same transaction; two admins
-- making one at the same moment meet here (the second is told to reload).
CREATE UNIQUE INDEX "CampaignJoinLink_one_open_per_campaign" ON "CampaignJoinLink"("campaignId") WHERE "revokedAt" IS NULL;

-- The last guard of the cap (the conditional UPDATE that takes a use is the first).
ALTER TABLE "CampaignJoinLink" ADD CONSTRAINT "CampaignJoinLink_uses_within_cap" CHECK ("uses" >= 0 AND "uses" <= "maxUses" AND "maxUses" > 0);
