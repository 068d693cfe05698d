-- CreateEnum
CREATE TYPE "GenerationJobStatus" AS ENUM ('QUEUED', 'RUNNING', 'PAUSED', 'CANCELLED', 'DONE');

-- CreateEnum
CREATE TYPE "GenerationItemStatus" AS ENUM ('PENDING', 'LEASED', 'DONE', 'FAILED', 'CANCELLED');

-- CreateTable
CREATE TABLE "ModelEndpoint" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "baseUrl" TEXT NOT NULL,
    "model" TEXT NOT NULL,
    "params" JSONB NOT NULL DEFAULT '{}',
    "maxConcurrency" INTEGER NOT NULL DEFAULT 4,
    "requestsPerMinute" INTEGER,
    "stream" BOOLEAN NOT NULL DEFAULT false,
    "timeoutSeconds" INTEGER NOT NULL DEFAULT 300,
    "apiKeyCipher" TEXT,
    "windowStart" TIMESTAMPTZ(3),
    "windowCount" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    "deletedAt" TIMESTAMPTZ(3),

    CONSTRAINT "ModelEndpoint_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "GenerationJob" (
    "id" UUID NOT NULL,
    "campaignId" UUID NOT NULL,
    "status" "GenerationJobStatus" NOT NULL DEFAULT 'QUEUED',
    "samples" INTEGER NOT NULL,
    "params" JSONB NOT NULL DEFAULT '{}',
    "options" JSONB NOT NULL,
    "createdById" UUID,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    "finishedAt" TIMESTAMPTZ(3),

    CONSTRAINT "GenerationJob_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "GenerationItem" (
    "id" BIGSERIAL NOT NULL,
    "jobId" UUID NOT NULL,
    "promptId" INTEGER NOT NULL,
    "endpointId" UUID NOT NULL,
    "sample" INTEGER NOT NULL,
    "importId" UUID NOT NULL,
    "status" "GenerationItemStatus" NOT NULL DEFAULT 'PENDING',
    "leaseToken" UUID,
    "leaseUntil" TIMESTAMPTZ(3),
    "notBefore" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "outcome" TEXT,
    "responseId" INTEGER,
    "tokensIn" INTEGER,
    "tokensOut" INTEGER,
    "finishReason" TEXT,
    "finishedAt" TIMESTAMPTZ(3),

    CONSTRAINT "GenerationItem_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ModelEndpoint_name_key" ON "ModelEndpoint"("name");

-- CreateIndex
CREATE INDEX "GenerationJob_campaignId_idx" ON "GenerationJob"("campaignId");

-- CreateIndex
CREATE INDEX "GenerationJob_status_idx" ON "GenerationJob"("status");

-- CreateIndex
CREATE INDEX "GenerationItem_endpointId_status_idx" ON "GenerationItem"("endpointId", "status");

-- CreateIndex
CREATE INDEX "GenerationItem_jobId_status_idx" ON "GenerationItem"("jobId", "status");

-- CreateIndex
CREATE INDEX "GenerationItem_importId_idx" ON "GenerationItem"("importId");

-- CreateIndex
CREATE UNIQUE INDEX "GenerationItem_jobId_promptId_endpointId_sample_key" ON "GenerationItem"("jobId", "promptId", "endpointId", "sample");

-- AddForeignKey
ALTER TABLE "GenerationJob" ADD CONSTRAINT "GenerationJob_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "Campaign"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GenerationItem" ADD CONSTRAINT "GenerationItem_jobId_fkey" FOREIGN KEY ("jobId") REFERENCES "GenerationJob"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GenerationItem" ADD CONSTRAINT "GenerationItem_promptId_fkey" FOREIGN KEY ("promptId") REFERENCES "Prompt"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GenerationItem" ADD CONSTRAINT "GenerationItem_endpointId_fkey" FOREIGN KEY ("endpointId") REFERENCES "ModelEndpoint"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GenerationItem" ADD CONSTRAINT "GenerationItem_importId_fkey" FOREIGN KEY ("importId") REFERENCES "Import"("id") ON DELETE CASCADE ON UPDATE CASCADE;
